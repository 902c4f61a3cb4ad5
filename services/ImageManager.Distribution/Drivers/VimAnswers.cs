using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.Sanitising;

namespace ImageManager.Distribution.Drivers;

/// <summary>What a probe reads in a VIM's answer to tell its API from whatever else may answer at that address.</summary>
public static class VimAnswers
{
    /// <summary>A probe's answer is a page of one item; more than this is not the answer looked for.</summary>
    const int ProbeReadLimit = 1024 * 1024;

    /// <summary>Whether the answer is a JSON object with a list named <paramref name="member"/>.</summary>
    public static async Task<bool> ListsAsync(HttpResponseMessage response, string member, CancellationToken cancellationToken) =>
        await ObjectAsync(response, cancellationToken) is { } document && document[member] is JsonArray;

    /// <summary>Whether the answer is a JSON object.</summary>
    public static async Task<bool> IsJsonObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await ObjectAsync(response, cancellationToken) is not null;

    static async Task<JsonObject?> ObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await OutsideText.ReadStartAsync(response.Content, cancellationToken, ProbeReadLimit)) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
