using ImageManager.Contracts;
using MassTransit;
using ImageManager.Distribution.Regions;
using Microsoft.Extensions.Options;
using ImageManager.ServiceDefaults;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The command's own queue and the process-wide limit of uploads at once. Retries are not configured here: the consumer
/// schedules each one itself (durably, through the scheduler), because it chooses the wait (backoff with jitter, or the
/// VIM's circuit) and reports it. No outbox on purpose: each step is reported as it happens.
/// </summary>
public sealed class UploadImageToVimConsumerDefinition : ConsumerDefinition<UploadImageToVimConsumer>
{
    public static Uri Address { get; } = BusAddresses.Endpoint(CommandQueues.UploadImageToVim);

    readonly string? _region;
    readonly IOptions<DistributionOptions> _options;
    readonly IOptions<RabbitMqOptions> _rabbitMq;

    public UploadImageToVimConsumerDefinition(IOptions<DistributionOptions> options, IOptions<RabbitMqOptions> rabbitMq)
    {
        _region = options.Value.Region;
        (_options, _rabbitMq) = (options, rabbitMq);
        EndpointName = RegionalQueues.SingleQueue(_region);
        ConcurrentMessageLimit = options.Value.ConcurrentUploads;
    }

    /// <summary>A regional replica's queue hands what it does not take over to the central one.</summary>
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<UploadImageToVimConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (_region is not null)
        {
            RegionalEndpoints.Configure(endpointConfigurator, RegionalQueues.SingleQueue(_region), _options.Value, _rabbitMq.Value);
        }
    }
}
