using ImageManager.Contracts;
using MassTransit;

namespace ImageManager.Distribution.Removals;

/// <summary>The command's own queue; the consumer schedules its own retries, as uploads do.</summary>
public sealed class RemoveImageFromVimConsumerDefinition : ConsumerDefinition<RemoveImageFromVimConsumer>
{
    public RemoveImageFromVimConsumerDefinition() => EndpointName = CommandQueues.RemoveImageFromVim;
}
