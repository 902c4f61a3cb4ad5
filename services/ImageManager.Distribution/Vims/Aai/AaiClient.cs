using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims.Aai;

/// <summary>
/// Reads A&amp;AI's cloud regions with their children (<c>depth=all</c>: the esr-system-info of each), a page at a time as
/// aai-resources pages (<c>resultIndex</c> from 1, <c>resultSize</c>, the <c>total-pages</c> header; an A&amp;AI that does
/// not page answers everything at once, without the header). Sends what A&amp;AI requires: basic authentication,
/// <c>X-FromAppId</c> and a fresh <c>X-TransactionId</c> per request. A&amp;AI's 404 "Node Not Found" (ERR.5.4.6114) is
/// an empty collection, any other failure an <see cref="AaiUnavailableException"/> that says what A&amp;AI said.
/// </summary>
public sealed class AaiClient(HttpClient http, IOptions<AaiOptions> options)
{
    /// <summary>Pages read at most, whatever <c>total-pages</c> claims: the loop is bounded.</summary>
    const int MaxPages = 10_000;

    /// <summary>The collection's address, for reports and messages (no credentials in it: the options refuse user info).</summary>
    public Uri CollectionUrl => new(http.BaseAddress!, CollectionPath);

    string CollectionPath => $"aai/{options.Value.ApiVersion}/cloud-infrastructure/cloud-regions";

    public async Task<IReadOnlyList<JsonObject>> CloudRegionsAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var regions = new List<JsonObject>();
        for (var page = 1; page <= MaxPages; page++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{CollectionPath}?depth=all&resultIndex={page}&resultSize={settings.PageSize}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Add("X-FromAppId", settings.FromAppId);
            request.Headers.Add("X-TransactionId", Guid.NewGuid().ToString());
            if (settings.Username is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}")));
            }

            using var response = await SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound && body.Contains("ERR.5.4.6114", StringComparison.Ordinal))
            {
                break; // no regions (or none on this page)
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new AaiUnavailableException(
                    $"A&AI at {CollectionUrl} refused Image Manager's credentials ({(int)response.StatusCode}); check Aai:Username and Aai:Password.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new AaiUnavailableException($"A&AI at {CollectionUrl} answered {(int)response.StatusCode}: {ReasonOf(body)}");
            }

            regions.AddRange(RegionsOf(body));
            if (!response.Headers.TryGetValues("total-pages", out var totalPages)
                || !int.TryParse(totalPages.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var total) || page >= total)
            {
                break;
            }
        }

        return regions;
    }

    async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new AaiUnavailableException($"A&AI at {CollectionUrl} cannot be reached: {OutsideText.Sanitise(exception.Message, 200)}", exception);
        }
        catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AaiUnavailableException($"A&AI at {CollectionUrl} did not answer within {options.Value.Timeout.TotalSeconds:0} s (Aai:Timeout).", exception);
        }
    }

    IEnumerable<JsonObject> RegionsOf(string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            root = null;
        }

        if (root is not JsonObject { } collection || collection["cloud-region"] is not JsonArray regions)
        {
            throw new AaiUnavailableException($"A&AI at {CollectionUrl} answered something else than a cloud-regions collection: {ReasonOf(body)}");
        }

        return regions.OfType<JsonObject>();
    }

    /// <summary>The text of A&amp;AI's <c>requestError</c> with its variables filled in, else the start of the body; short and printable.</summary>
    static string ReasonOf(string body)
    {
        try
        {
            if (JsonNode.Parse(body)?["requestError"] is JsonObject error && error.FirstOrDefault().Value is JsonObject exception
                && exception["text"]?.GetValue<string>() is { } text)
            {
                var variables = exception["variables"] as JsonArray ?? [];
                for (var i = variables.Count; i >= 1; i--)
                {
                    text = text.Replace($"%{i}", variables[i - 1]?.ToString(), StringComparison.Ordinal);
                }

                return OutsideText.Sanitise($"{exception["messageId"]} {text}", 300)!;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Not A&AI's error document: the body as it is, cut short.
        }

        return OutsideText.Sanitise(body, 300) ?? "";
    }
}
