using System.Text.RegularExpressions;
using ImageManager.Contracts.Hubs;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Hubs;

/// <summary>The regional hubs' HTTP API: <c>GET /api/v1/hubs</c>, <c>GET|PUT|DELETE /api/v1/hubs/{id}</c>.</summary>
public static partial class HubEndpoints
{
    const int MaxRegions = 100;
    const int MaxRegionLength = 255;

    public static WebApplication MapHubEndpoints(this WebApplication app)
    {
        var hubs = app.MapGroup("/api/v1/hubs");
        hubs.MapGet("/", ListHubs);
        hubs.MapGet("/{id}", GetHub);
        hubs.MapPut("/{id}", PutHub);
        hubs.MapDelete("/{id}", DeleteHub);
        return app;
    }

    static async Task<IResult> ListHubs(DistributionDbContext db, CancellationToken cancellationToken)
    {
        var hubs = await db.Hubs.AsNoTracking().OrderBy(h => h.Id).ToListAsync(cancellationToken);
        return Results.Ok(new HubListResource { Hubs = hubs.Select(ResourceOf).ToList() });
    }

    static async Task<IResult> GetHub(string id, DistributionDbContext db, CancellationToken cancellationToken) =>
        await db.Hubs.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, cancellationToken) is { } hub ? Results.Ok(ResourceOf(hub)) : NotFound(id);

    /// <summary>Creates the hub (201) or replaces its URL and regions (200); a region another hub serves is refused (409).</summary>
    static async Task<IResult> PutHub(string id, HubRequest request, DistributionDbContext db, HubDirectory directory, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (Invalid(id, request) is { } invalid)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Reason] }, detail: invalid.Reason);
        }

        var regions = request.Regions!.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var others = await db.Hubs.AsNoTracking().Where(h => h.Id != id).ToListAsync(cancellationToken);
        if (others.SelectMany(h => h.Regions.Select(r => (Hub: h.Id, Region: r))).FirstOrDefault(o => regions.Contains(o.Region)) is { Hub: not null } taken)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Region served",
                detail: $"regions: region '{taken.Region}' is served by hub '{taken.Hub}'; a region has one hub at most.");
        }

        var now = clock.GetUtcNow();
        var hub = await db.Hubs.FirstOrDefaultAsync(h => h.Id == id, cancellationToken);
        var created = hub is null;
        hub ??= db.Hubs.Add(new Hub { Id = id, BaseUrl = null!, CreatedAt = now }).Entity;
        hub.BaseUrl = new Uri(request.BaseUrl!).AbsoluteUri.TrimEnd('/');
        hub.Regions = regions;
        hub.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        directory.Forget();
        return created ? Results.Created($"/api/v1/hubs/{id}", ResourceOf(hub)) : Results.Ok(ResourceOf(hub));
    }

    /// <summary>Its regions' VIMs pull from the centre again; targets that went through it keep saying so.</summary>
    static async Task<IResult> DeleteHub(string id, DistributionDbContext db, HubDirectory directory, CancellationToken cancellationToken)
    {
        if (await db.Hubs.Where(h => h.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return NotFound(id);
        }

        directory.Forget();
        return Results.NoContent();
    }

    static (string Field, string Reason)? Invalid(string id, HubRequest request)
    {
        if (!HubId().IsMatch(id))
        {
            return ("id", "id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (request.BaseUrl is null || !Uri.TryCreate(request.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || request.BaseUrl.Length > 2048)
        {
            return ("baseUrl", "baseUrl is required: the hub's http(s) URL as the VIMs of its regions reach it, without credentials, query or fragment.");
        }

        if (request.Regions is not { Count: > 0 and <= MaxRegions })
        {
            return ("regions", $"regions is required: 1 to {MaxRegions} regions (a VIM's 'region') that the hub serves.");
        }

        if (request.Regions.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > MaxRegionLength || r.Any(char.IsControl)))
        {
            return ("regions", $"regions: every region is a name of 1 to {MaxRegionLength} printable characters.");
        }

        return null;
    }

    static HubResource ResourceOf(Hub hub) => new()
    {
        Id = hub.Id,
        BaseUrl = hub.BaseUrl,
        Regions = hub.Regions,
        CreatedAt = hub.CreatedAt,
        UpdatedAt = hub.UpdatedAt,
    };

    static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Hub not found", detail: $"There is no hub with id '{id}'.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex HubId();
}
