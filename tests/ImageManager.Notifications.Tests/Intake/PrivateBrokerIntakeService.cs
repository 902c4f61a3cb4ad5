using ImageManager.Testing;

namespace ImageManager.Notifications.Tests.Intake;

/// <summary>The intake on a RabbitMQ node of its own, which its tests restart while every other test keeps the shared one.</summary>
public sealed class PrivateBrokerIntakeService() : IntakeService(RabbitMqBroker.Private($"intake-{Guid.NewGuid():N}"[..17]));
