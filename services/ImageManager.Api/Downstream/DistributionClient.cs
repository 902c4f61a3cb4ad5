using System.Net;

namespace ImageManager.Api.Downstream;

/// <summary>The Api's calls to the Distribution service.</summary>
public sealed class DistributionClient(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>The ids among <paramref name="vimIds"/> that name no registered VIM.</summary>
    public async Task<IReadOnlyList<string>> UnknownVimsAsync(IEnumerable<string> vimIds, CancellationToken cancellationToken)
    {
        var unknown = new List<string>();
        foreach (var id in vimIds)
        {
            using var response = await http.GetAsync($"/api/v1/vims/{Uri.EscapeDataString(id)}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                unknown.Add(id);
            }
            else
            {
                response.EnsureSuccessStatusCode();
            }
        }

        return unknown;
    }
}
