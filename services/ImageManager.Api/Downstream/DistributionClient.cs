using ImageManager.ServiceDefaults.Budgets;

namespace ImageManager.Api.Downstream;

/// <summary>The Api's calls to the Distribution service.</summary>
public sealed class DistributionClient(HttpClient http)
{
    public HttpClient Http => http;

    /// <summary>The ids among <paramref name="vimIds"/> that name no registered VIM.</summary>
    public async Task<IReadOnlyList<string>> UnknownVimsAsync(IEnumerable<string> vimIds, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/internal/v1/vims/unknown", new { vimIds = vimIds.ToArray() }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<UnknownVims>(cancellationToken))?.Unknown ?? [];
    }

    /// <summary>The image's distributions whose targets are not all final yet, oldest first.</summary>
    public async Task<IReadOnlyList<OpenDistribution>> OpenDistributionsAsync(Guid imageId, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<OpenDistribution[]>($"/internal/v1/images/{imageId}/open-distributions", cancellationToken) ?? [];

    /// <summary>This replica's downloads in flight told, the counts elsewhere, the pulling VIMs' caps and the uplink's budget learnt.</summary>
    public async Task<TransferBudgetAnswer> ExchangeTransferBudgetsAsync(TransferBudgetReport report, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/internal/v1/transfer-budgets", report, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TransferBudgetAnswer>(cancellationToken)
            ?? throw new System.Text.Json.JsonException("The Distribution answered the transfer budgets with nothing.");
    }

    /// <summary>The tenant a distribution belongs to; null when it has none or there is no such distribution.</summary>
    public async Task<string?> TenantOfAsync(Guid distributionId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/v1/distributions/{distributionId}", cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var distribution = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(cancellationToken);
        return distribution?["tenant"]?.GetValue<string>();
    }
}
