using System.Text.Json.Nodes;

namespace ImageManager.Testing;

/// <summary>One request a <see cref="WebhookSubscriber"/> got.</summary>
public sealed record ReceivedDelivery(byte[] Body, string? ContentType, string? Signature, string? DeliveryId, int Attempt)
{
    public JsonObject Event => JsonNode.Parse(Body)!.AsObject();
    public string Type => Event["type"]!.GetValue<string>();
    public string Subject => Event["subject"]!.GetValue<string>();
}
