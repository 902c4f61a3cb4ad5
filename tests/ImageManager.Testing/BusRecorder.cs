using System.Collections.Concurrent;
using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;
using ImageManager.Contracts.Recalls;
using MassTransit;

namespace ImageManager.Testing;

/// <summary>Listens on the bus like any other subscriber (SDC or SO, say) and keeps the events the tests look for.</summary>
public sealed class BusRecorder :
    IConsumer<ImageUploaded>,
    IConsumer<ImageOnboarded>,
    IConsumer<ImageOnboardingRefused>,
    IConsumer<VimImageStateChanged>,
    IConsumer<VimImageStatesChanged>,
    IConsumer<DistributionCompleted>,
    IConsumer<RecallCompleted>
{
    public static ConcurrentQueue<object> Seen { get; } = new();

    public static IEnumerable<T> All<T>() => Seen.OfType<T>();

    public Task Consume(ConsumeContext<ImageUploaded> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<ImageOnboarded> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<ImageOnboardingRefused> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<VimImageStateChanged> context) => Keep(context.Message);

    /// <summary>The uploads' reports come several to a message: kept one by one, as they would have come alone.</summary>
    public async Task Consume(ConsumeContext<VimImageStatesChanged> context)
    {
        foreach (var change in context.Message.Changes)
        {
            await Keep(change);
        }
    }

    public Task Consume(ConsumeContext<DistributionCompleted> context) => Keep(context.Message);

    public Task Consume(ConsumeContext<RecallCompleted> context) => Keep(context.Message);

    static Task Keep(object message)
    {
        Seen.Enqueue(message);
        return Task.CompletedTask;
    }
}
