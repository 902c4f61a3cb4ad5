using RabbitMQ.Client;

namespace ImageManager.Api.Notifications;

/// <summary>A message about to be published by <see cref="NotificationBroker"/>: where it goes, its properties and its body.</summary>
sealed record OutgoingMessage(string Exchange, string RoutingKey, BasicProperties Properties, byte[] Body);
