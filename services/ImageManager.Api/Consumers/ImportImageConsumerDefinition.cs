using MassTransit;

namespace ImageManager.Api.Consumers;

public sealed class ImportImageConsumerDefinition : ConsumerDefinition<ImportImageConsumer>
{
    public const string QueueName = "import-image";
    public static Uri Address { get; } = new($"queue:{QueueName}");

    public ImportImageConsumerDefinition()
    {
        EndpointName = QueueName;
        // Downloads are long and bandwidth-bound: a few at a time per Api replica.
        ConcurrentMessageLimit = 4;
    }
}
