using ImageManager.Contracts;
using MassTransit;

namespace ImageManager.Distribution.Removals;

/// <summary>The command's own queue, named in the contracts, where the catalogue sends its purges.</summary>
public sealed class RemoveImageFromVimsConsumerDefinition : ConsumerDefinition<RemoveImageFromVimsConsumer>
{
    public RemoveImageFromVimsConsumerDefinition() => EndpointName = CommandQueues.RemoveImageFromVims;
}
