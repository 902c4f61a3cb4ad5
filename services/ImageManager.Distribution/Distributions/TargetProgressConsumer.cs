using ImageManager.Contracts.Distributions;
using MassTransit;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// Single target changes (reconciliation, removals, cancellations, ownership changes), taken in batches
/// (<see cref="TargetProgressConsumerDefinition"/>) and recorded by <see cref="TargetChangeRecorder"/>.
/// </summary>
public sealed class TargetProgressConsumer(TargetChangeRecorder recorder) : IConsumer<Batch<VimImageStateChanged>>
{
    public Task Consume(ConsumeContext<Batch<VimImageStateChanged>> context) => recorder.RecordAsync(context, context.Message.Select(m => m.Message));
}
