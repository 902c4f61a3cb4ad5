using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageManager.Notifications.Intake;

/// <summary>
/// Ready only while notifications are being taken from the broker: MassTransit counts the intake's endpoint healthy from
/// the broker's consume-ok until its channel is lost (a broker restart), and again once it consumes anew; and only once its
/// bindings were made to match the subscriptions after the start (a queue made anew has none).
/// </summary>
public sealed class IntakeHealthCheck(IBusControl bus, IntakeBindingKeeper bindings) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!Consuming()
            ? HealthCheckResult.Unhealthy($"Not consuming the {NotificationIntakeConsumerDefinition.Queue} queue from the broker.")
            : !bindings.Passed
            ? HealthCheckResult.Unhealthy($"The {NotificationIntakeConsumerDefinition.Queue} queue is not bound yet to the types the subscriptions want.")
            : HealthCheckResult.Healthy());

    bool Consuming() => bus.CheckHealth().Endpoints.Values.Any(endpoint =>
        endpoint.Status == BusHealthStatus.Healthy
        && endpoint.InputAddress.AbsolutePath.EndsWith("/" + NotificationIntakeConsumerDefinition.Queue, StringComparison.Ordinal));
}
