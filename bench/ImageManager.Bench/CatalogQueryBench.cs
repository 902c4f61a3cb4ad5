using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ImageManager.Bench;

/// <summary>
/// Catalogue queries at fleet size (see <see cref="CatalogSeed"/>), through the Api as a caller sees them: each query
/// shape asked <see cref="Runs"/> times with varying values after a warm-up, p50 and p99 reported; and MariaDB's
/// EXPLAIN of each shape's SQL, to show which index answers it.
/// </summary>
public static class CatalogQueryBench
{
    const int Runs = 300;
    const int WarmUp = 20;

    public static async Task<(List<(string What, double P50, double P99)> Latencies, List<string> Plans)> MeasureAsync(HttpClient api, HttpClient catalog)
    {
        var vendorMarkers = new string[50];
        for (var v = 0; v < vendorMarkers.Length; v++)
        {
            vendorMarkers[v] = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/images?vendor=vendor-{v}&sort=name:desc&limit=25"))!["next"]!.GetValue<string>();
        }

        var vimMarkers = new string[100];
        for (var v = 0; v < vimMarkers.Length; v++)
        {
            vimMarkers[v] = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/vims/{CatalogSeed.VimId(v)}/images?limit=25"))!["next"]!.GetValue<string>();
        }

        var shapes = new (string What, Func<int, string> Path)[]
        {
            ("list, newest first", _ => "/api/v1/images?sort=createdAt:desc&limit=25"),
            ("status + kind", n => $"/api/v1/images?status=active&kind={(n % 2 == 0 ? "vm-image" : "software-package")}&limit=25"),
            ("vendor", n => $"/api/v1/images?vendor=vendor-{n % 50}&limit=25"),
            ("name (all its versions)", n => $"/api/v1/images?name=img-{n * 37 % 10_000:D5}"),
            ("name prefix", n => $"/api/v1/images?namePrefix=img-0{n % 10}{n * 3 % 10}&limit=25"),
            ("name + version=latest", n => $"/api/v1/images?name=img-{n * 37 % 10_000:D5}&version=latest"),
            ("tag", n => $"/api/v1/images?tag=tag-{n % CatalogSeed.Tags}&limit=25"),
            ("property", n => $"/api/v1/images?property=site=site-{n % 100}&limit=25"),
            ("on VIM (filter of the list)", n => $"/api/v1/images?onVim={CatalogSeed.VimId(n % CatalogSeed.Vims)}&limit=25"),
            ("created in a given day", n => $"/api/v1/images?createdAfter=2026-{1 + (n % 11):D2}-10T00:00:00Z&createdBefore=2026-{1 + (n % 11):D2}-11T00:00:00Z&limit=25"),
            ("vendor, by name desc, page 2", n => $"/api/v1/images?vendor=vendor-{n % 50}&sort=name:desc&limit=25&marker={vendorMarkers[n % 50]}"),
            ("one image with its locations", n => $"/api/v1/images/{CatalogSeed.ImageId(n * 997 % CatalogSeed.Images)}"),
            ("images on VIM Y", n => $"/api/v1/vims/{CatalogSeed.VimId(n % CatalogSeed.Vims)}/images?limit=25"),
            ("images on VIM Y, page 2", n => $"/api/v1/vims/{CatalogSeed.VimId(n % 100)}/images?limit=25&marker={vimMarkers[n % 100]}"),
        };

        var latencies = new List<(string, double, double)>();
        foreach (var (what, path) in shapes)
        {
            var times = new List<double>();
            for (var n = 0; n < WarmUp + Runs; n++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await api.GetAsync(path(n));
                await response.Content.LoadIntoBufferAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{path(n)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                if (n >= WarmUp)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            latencies.Add((what, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.99) - 1]));
        }

        using var internalApi = catalog;
        var plans = new List<string>();
        foreach (var (what, path) in shapes.Where(s => s.Path(1).StartsWith("/api/v1/images?", StringComparison.Ordinal) || s.Path(1).Contains("/vims/", StringComparison.Ordinal)))
        {
            var explainPath = path(1).Replace("/api/v1/", "/internal/v1/explain/", StringComparison.Ordinal);
            var explained = (await internalApi.GetFromJsonAsync<JsonObject>(explainPath))!;
            var steps = explained["plan"]!.AsArray().Select(row =>
                $"{row!["table"]}: {row["type"]}, key {row["key"]?.ToString() ?? "none"}, rows {row["rows"]}{(row["Extra"] is { } extra ? $" ({extra})" : "")}");
            plans.Add($"- {what}: {string.Join("; ", steps)}");
        }

        return (latencies, plans);
    }
}
