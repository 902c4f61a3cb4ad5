using ImageManager.Contracts;
using MassTransit;

namespace ImageManager.Distribution.Deactivations;

/// <summary>The command's own queue; the consumer schedules its own retries, as removals do.</summary>
public sealed class DeactivateImageOnVimConsumerDefinition : ConsumerDefinition<DeactivateImageOnVimConsumer>
{
    public DeactivateImageOnVimConsumerDefinition() => EndpointName = CommandQueues.DeactivateImageOnVim;
}
