using System.Data.Common;
using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace ImageManager.ServiceDefaults;

/// <summary>
/// Whether a failure is the infrastructure's passing outage (a database failing over, a broker node lost, a publish not
/// confirmed while a quorum queue elects its leader), which trying again later mends, rather than the message's own fault.
/// Looked for along the inner exceptions too: libraries wrap the cause (Quartz's JobPersistenceException, EF Core's
/// InvalidOperationException around a DbException), and a message lost to a wrapper is as lost.
/// </summary>
public static class InfrastructureOutage
{
    public static bool Caused(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is DbException or TimeoutException or ConnectionException or TransportException or RabbitMQClientException)
            {
                return true;
            }
        }

        return false;
    }
}
