using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Ready only while notifications are being taken from the broker: MassTransit counts the intake's endpoint healthy from
/// the broker's consume-ok until its channel is lost (a broker restart), and again once it consumes anew.
/// </summary>
public sealed class IntakeHealthCheck(IBusControl bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Consuming()
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Not consuming the {NotificationIntakeConsumerDefinition.Queue} queue from the broker."));

    bool Consuming() => bus.CheckHealth().Endpoints.Values.Any(endpoint =>
        endpoint.Status == BusHealthStatus.Healthy
        && endpoint.InputAddress.AbsolutePath.EndsWith("/" + NotificationIntakeConsumerDefinition.Queue, StringComparison.Ordinal));
}
