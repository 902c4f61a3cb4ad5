using ImageManager.Contracts;
using MassTransit;
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

    public UploadImageToVimConsumerDefinition(IOptions<DistributionOptions> options)
    {
        EndpointName = CommandQueues.UploadImageToVim;
        ConcurrentMessageLimit = options.Value.ConcurrentUploads;
    }
}
