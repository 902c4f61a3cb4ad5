using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImageManager.Notifications.Intake;

/// <summary>Ready only while notifications are being taken from the broker.</summary>
public sealed class IntakeHealthCheck(NotificationIntake intake) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(intake.Consuming
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Not consuming the {NotificationIntake.Queue} queue from the broker."));
}
