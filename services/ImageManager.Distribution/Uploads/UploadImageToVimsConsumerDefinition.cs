using ImageManager.Contracts;
using MassTransit;
using ImageManager.Distribution.Regions;
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

    readonly string? _region;
    readonly IOptions<DistributionOptions> _options;
    readonly IOptions<RabbitMqOptions> _rabbitMq;

    public UploadImageToVimsConsumerDefinition(IOptions<DistributionOptions> options, IOptions<RabbitMqOptions> rabbitMq)
    {
        _region = options.Value.Region;
        (_options, _rabbitMq) = (options, rabbitMq);
        EndpointName = RegionalQueues.BatchQueue(_region);
        ConcurrentMessageLimit = (options.Value.ConcurrentUploads + UploadImageToVimsConsumer.TargetsPerCommand - 1) / UploadImageToVimsConsumer.TargetsPerCommand + 1;
    }

    /// <summary>A regional replica's queue hands what it does not take over to the central one.</summary>
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<UploadImageToVimsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (_region is not null)
        {
            RegionalEndpoints.Configure(endpointConfigurator, RegionalQueues.BatchQueue(_region), _options.Value, _rabbitMq.Value);
        }
    }
}
