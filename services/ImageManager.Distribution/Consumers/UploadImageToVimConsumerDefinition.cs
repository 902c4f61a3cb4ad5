using ImageManager.Contracts;
using ImageManager.Distribution.Drivers;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Consumers;

public sealed class UploadImageToVimConsumerDefinition : ConsumerDefinition<UploadImageToVimConsumer>
{
    public static Uri Address { get; } = new($"queue:{CommandQueues.UploadImageToVim}");

    readonly DistributionOptions _options;

    public UploadImageToVimConsumerDefinition(IOptions<DistributionOptions> options)
    {
        _options = options.Value;
        EndpointName = CommandQueues.UploadImageToVim;
        ConcurrentMessageLimit = _options.ConcurrentUploads;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<UploadImageToVimConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // The wait between attempts lives in the durable scheduler, not in this process: a restart loses no retry.
        if (_options.RetryIntervals.Length > 0)
        {
            endpointConfigurator.UseScheduledRedelivery(r =>
            {
                r.Handle<VimTransientException>();
                r.Intervals(_options.RetryIntervals);
            });
        }

        // No outbox here on purpose: each step is reported as it happens, and a failed attempt's "pending" report
        // must go out even though the attempt ends by throwing.
    }
}
