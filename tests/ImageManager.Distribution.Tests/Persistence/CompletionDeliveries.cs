using System.Collections.Concurrent;
using ImageManager.Contracts.Distributions;
using MassTransit;

namespace ImageManager.Distribution.Tests.Persistence;

/// <summary>Counts every delivery of <see cref="DistributionCompleted"/>: the test harness keeps one entry per message id.</summary>
public sealed class CompletionDeliveries : IConsumer<DistributionCompleted>
{
    static readonly ConcurrentDictionary<Guid, int> Counts = new();

    public static int Of(Guid distributionId) => Counts.GetValueOrDefault(distributionId);

    public Task Consume(ConsumeContext<DistributionCompleted> context)
    {
        Counts.AddOrUpdate(context.Message.DistributionId, 1, (_, count) => count + 1);
        return Task.CompletedTask;
    }
}
