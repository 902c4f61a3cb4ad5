using Microsoft.Extensions.Options;
using Quartz;

namespace ImageManager.Distribution.Reconciliation;

/// <summary>
/// The scheduled reconciliation pass, every <see cref="ReconciliationOptions.Interval"/>, on one replica at a time
/// (clustered job store, and the pass's own lock).
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReconciliationJob(ReconciliationPass pass, IOptions<ReconciliationOptions> options) : IJob
{
    public static readonly JobKey Key = new("reconciliation", "maintenance");

    public async Task Execute(IJobExecutionContext context)
    {
        var settings = options.Value;
        if (settings.Enabled)
        {
            await pass.RunAsync(settings.Repair, imageId: null, waitForOtherPass: false, context.CancellationToken);
        }
    }
}
