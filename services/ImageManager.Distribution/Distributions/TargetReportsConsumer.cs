using ImageManager.Contracts.Distributions;
using MassTransit;

namespace ImageManager.Distribution.Distributions;

/// <summary>The uploads' reports, each already a batch (<see cref="Uploads.TargetReports"/>), recorded by <see cref="TargetChangeRecorder"/>.</summary>
public sealed class TargetReportsConsumer(TargetChangeRecorder recorder) : IConsumer<VimImageStatesChanged>
{
    public Task Consume(ConsumeContext<VimImageStatesChanged> context) => recorder.RecordAsync(context, context.Message.Changes);
}
