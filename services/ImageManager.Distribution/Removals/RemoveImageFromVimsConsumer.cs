using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using MassTransit;
using ImageManager.ServiceDefaults;

namespace ImageManager.Distribution.Removals;

/// <summary>
/// The catalogue sends its purge to a command queue of its own; a removal is a distribution, so the command goes on
/// to the distribution saga, which tracks it target by target.
/// </summary>
public sealed class RemoveImageFromVimsConsumer(IEndpointNameFormatter endpointNames) : IConsumer<RemoveImageFromVims>
{
    public Task Consume(ConsumeContext<RemoveImageFromVims> context) =>
        context.Forward(BusAddresses.Endpoint(endpointNames.Saga<DistributionState>()));
}
