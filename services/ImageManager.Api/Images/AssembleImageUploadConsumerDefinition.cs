using ImageManager.Contracts;
using ImageManager.ServiceDefaults;
using MassTransit;

namespace ImageManager.Api.Images;

public sealed class AssembleImageUploadConsumerDefinition : ConsumerDefinition<AssembleImageUploadConsumer>
{
    public static Uri Address { get; } = BusAddresses.Endpoint(CommandQueues.AssembleImageUpload);

    public AssembleImageUploadConsumerDefinition()
    {
        EndpointName = CommandQueues.AssembleImageUpload;
        // Each assembly reads and writes a whole image: two at a time per replica.
        ConcurrentMessageLimit = 2;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<AssembleImageUploadConsumer> consumerConfigurator, IRegistrationContext context) =>
        // The blob store or the catalogue failing over: try again for about five minutes before the message is put aside
        // (the client can then send the last PATCH again, with no body, to ask for another assembly).
        endpointConfigurator.UseMessageRetry(retry => retry.Exponential(8, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)));
}
