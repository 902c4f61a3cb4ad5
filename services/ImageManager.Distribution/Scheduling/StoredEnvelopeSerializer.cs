using System.Net.Mime;
using MassTransit;

namespace ImageManager.Distribution.Scheduling;

/// <summary>Sends an envelope exactly as it was stored when the message was scheduled.</summary>
public sealed class StoredEnvelopeSerializer(string contentType, string envelope) : IMessageSerializer
{
    public ContentType ContentType { get; } = new(contentType);

    public MessageBody GetMessageBody<T>(SendContext<T> context)
        where T : class => new StringMessageBody(envelope);
}
