using ImageManager.ServiceDefaults;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace ImageManager.Api.Tests;

/// <summary>Which failures the shared retry of every bus treats as an outage to wait out, rather than the message's own fault.</summary>
public sealed class InfrastructureOutageTests
{
    [Fact]
    public void When_the_broker_connection_is_lost_or_refused_it_is_an_outage()
    {
        Assert.True(InfrastructureOutage.Caused(new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 320, "CONNECTION_FORCED"))));
        Assert.True(InfrastructureOutage.Caused(new ConnectionException("Broker unreachable")));
        Assert.True(InfrastructureOutage.Caused(new TransportException(new Uri("rabbitmq://127.0.0.1/scheduler"), "The message was not confirmed")));
    }

    [Fact]
    public void When_a_library_wraps_the_cause_the_outage_is_still_seen()
    {
        var wrapped = new InvalidOperationException("Failed to obtain DB connection", new AggregateException(new TimeoutException("The operation has timed out.")));

        Assert.True(InfrastructureOutage.Caused(wrapped));
    }

    [Fact]
    public void When_the_failure_is_the_message_s_own_it_is_not_an_outage()
    {
        Assert.False(InfrastructureOutage.Caused(new ArgumentException("The image id is not a GUID.")));
        Assert.False(InfrastructureOutage.Caused(new InvalidOperationException("Sequence contains no elements", new FormatException())));
    }
}
