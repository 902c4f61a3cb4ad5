using MassTransit;

namespace ImageManager.ServiceDefaults.BusAccess;

/// <summary>
/// The broker user a bus connects as, and the stamp that names it on every message it sends (the AMQP <c>user_id</c>
/// property, which RabbitMQ checks against the connection). Outside senders stamp theirs the same way.
/// </summary>
public static class BrokerUser
{
    /// <summary>Names the connection's user on everything this bus sends and publishes.</summary>
    public static void StampBrokerUser(this IRabbitMqBusFactoryConfigurator configurator, Uri amqpUri) =>
        configurator.StampBrokerUser(Of(amqpUri));

    /// <summary>Names <paramref name="user"/> on everything this bus sends; the broker refuses it unless that is the connection's user.</summary>
    public static void StampBrokerUser(this IRabbitMqBusFactoryConfigurator configurator, string user)
    {
        configurator.ConfigureSend(send => send.UseExecute(context => Stamp(context, user)));
        configurator.ConfigurePublish(publish => publish.UseExecute(context => Stamp(context, user)));
    }

    static void Stamp(SendContext context, string user)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.BasicProperties.UserId = user;
        }
    }

    /// <summary>The user in an AMQP URI (<c>amqp://user:password@host/vhost</c>); RabbitMQ's default when none is given.</summary>
    public static string Of(Uri amqpUri)
    {
        var userInfo = amqpUri.UserInfo;
        if (userInfo.Length == 0)
        {
            return "guest";
        }

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
    }
}
