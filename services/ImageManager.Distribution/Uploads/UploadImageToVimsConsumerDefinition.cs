using ImageManager.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;
using ImageManager.ServiceDefaults;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The command's own queue. Enough commands at once to keep the replica's uploads busy (<see cref="ReplicaUploadLimit"/>
/// bounds them), and one more, so that the next command's targets are at hand when a slow one holds its command open.
/// </summary>
public sealed class UploadImageToVimsConsumerDefinition : ConsumerDefinition<UploadImageToVimsConsumer>
{
    public static Uri Address { get; } = BusAddresses.Endpoint(CommandQueues.UploadImageToVims);

    public UploadImageToVimsConsumerDefinition(IOptions<DistributionOptions> options)
    {
        EndpointName = CommandQueues.UploadImageToVims;
        ConcurrentMessageLimit = (options.Value.ConcurrentUploads + UploadImageToVimsConsumer.TargetsPerCommand - 1) / UploadImageToVimsConsumer.TargetsPerCommand + 1;
    }
}
