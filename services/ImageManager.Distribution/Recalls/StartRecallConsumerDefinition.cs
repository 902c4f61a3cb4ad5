using ImageManager.Contracts;
using MassTransit;

namespace ImageManager.Distribution.Recalls;

/// <summary>The command's own queue, named in the contracts.</summary>
public sealed class StartRecallConsumerDefinition : ConsumerDefinition<StartRecallConsumer>
{
    public StartRecallConsumerDefinition() => EndpointName = CommandQueues.StartRecall;
}
