using ImageManager.Contracts;
using MassTransit;
using ImageManager.ServiceDefaults;

namespace ImageManager.Api.Imports;

public sealed class ImportImageConsumerDefinition : ConsumerDefinition<ImportImageConsumer>
{
    public static Uri Address { get; } = BusAddresses.Endpoint(CommandQueues.ImportImage);

    public ImportImageConsumerDefinition()
    {
        EndpointName = CommandQueues.ImportImage;
        // Downloads are long and bandwidth-bound: a few at a time per Api replica.
        ConcurrentMessageLimit = 4;
    }
}
