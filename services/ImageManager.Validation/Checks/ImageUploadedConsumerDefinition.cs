using ImageManager.Validation.Scanning;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Checks;

/// <summary>
/// While clamd is unavailable and scanning is required, an upload is tried again every
/// <see cref="ScanningOptions.UnavailableRetryInterval"/>, <see cref="ScanningOptions.UnavailableRetries"/> times; the image
/// waits in <c>validating</c> meanwhile and, after the last try, its message waits in the <c>_error</c> queue.
/// </summary>
public sealed class ImageUploadedConsumerDefinition(IOptions<ScanningOptions> scanning) : ConsumerDefinition<ImageUploadedConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ImageUploadedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        var settings = scanning.Value;
        if (settings.UnavailableRetries == 0)
        {
            // No tries again: MassTransit refuses a retry policy without intervals. The message goes to _error at once.
            return;
        }

        consumerConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<ClamdUnavailableException>();
            retry.Interval(settings.UnavailableRetries, settings.UnavailableRetryInterval);
        });
    }
}
