using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Fleet;
using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Access;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Fleet;

/// <summary>
/// The fleet in counts, for the portal's overview and fleet view: every answer is aggregated in the database (grouped
/// queries), so ten thousand VIMs cost a few rows on the wire, never ten thousand.
/// </summary>
public static class FleetEndpoints
{
    const int MaxSitesLimit = 500;

    public static WebApplication MapFleetEndpoints(this WebApplication app)
    {
        var fleet = app.MapGroup("/api/v1/fleet");
        fleet.MapGet("/vims", CountVims);
        fleet.MapGet("/activity", Activity);
        fleet.MapGet("/images/{imageId:guid}", ImageAcrossRegions);
        fleet.MapGet("/images/{imageId:guid}/sites", ImageSites);
        return app;
    }

    /// <summary>The VIMs a search matches (the criteria of <c>GET /vims</c>), counted by health and region in one grouped query.</summary>
    static async Task<IResult> CountVims(
        DistributionDbContext db, CancellationToken cancellationToken, string? idPrefix = null, string? region = null, string? tag = null, string? health = null)
    {
        if (health is not null && VimHealthFilter.ProblemWith(health) is { } unknownHealth)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["health"] = [unknownHealth] }, detail: unknownHealth);
        }

        // The health state as VimHealthMapping.StateOf tells it, as two grouping keys the database can compute.
        var groups = await TargetPlan.Selected(db, VimSearch.Selector(idPrefix, region, tag, health))
            .GroupBy(v => new { Region = v.Region ?? "", Unhealthy = v.ConsecutiveFailures > 0 || v.HealthReason != null, Answered = v.LastAnsweredAt != null })
            .Select(g => new { g.Key.Region, g.Key.Unhealthy, g.Key.Answered, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var rows = groups.Select(g => (g.Region, State: g.Unhealthy ? VimHealth.Unhealthy : g.Answered ? VimHealth.Healthy : VimHealth.Unknown, g.Count)).ToList();
        var regions = rows.GroupBy(r => r.Region).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FleetRegionVims(g.Key, g.Sum(r => r.Count), CountOf(g, VimHealth.Healthy), CountOf(g, VimHealth.Unhealthy), CountOf(g, VimHealth.Unknown)))
            .ToList();
        var byHealth = VimHealth.States.ToDictionary(state => state, state => rows.Where(r => r.State == state).Sum(r => r.Count));
        return Results.Ok(new FleetVimsResource(rows.Sum(r => r.Count), byHealth, regions));
    }

    static int CountOf(IEnumerable<(string Region, string State, int Count)> rows, string state) => rows.Where(r => r.State == state).Sum(r => r.Count);

    /// <summary>The caller's distributions (removals aside) running and finished by outcome, in one grouped query.</summary>
    static async Task<IResult> Activity(HttpRequest request, DistributionDbContext db, CancellationToken cancellationToken)
    {
        var groups = await db.Distributions.AsNoTracking().VisibleTo(ForwardedCaller.From(request))
            .Where(d => d.Kind == DistributionKinds.Distribution)
            .GroupBy(d => new { d.CurrentState, d.Outcome })
            .Select(g => new { g.Key.CurrentState, g.Key.Outcome, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Finished(string outcome) => groups.Where(g => g.CurrentState == "Completed" && g.Outcome == outcome).Sum(g => g.Count);
        return Results.Ok(new FleetActivityResource(
            groups.Where(g => g.CurrentState != "Completed").Sum(g => g.Count),
            Finished(DistributionOutcomes.Failed), Finished(DistributionOutcomes.PartiallyFailed), Finished(DistributionOutcomes.Succeeded)));
    }

    static async Task<IResult> ImageAcrossRegions(Guid imageId, HttpRequest request, DistributionDbContext db, CancellationToken cancellationToken)
    {
        var image = await db.Images.AsNoTracking().Where(i => i.Id == imageId).Select(i => new { i.Name, i.Version }).FirstOrDefaultAsync(cancellationToken);
        var regions = await ImageFleetQuery.RegionsAsync(db, imageId, ForwardedCaller.From(request), cancellationToken);
        return Results.Ok(new ImageFleetResource(imageId, image?.Name, image?.Version, regions));
    }

    static async Task<IResult> ImageSites(
        Guid imageId, HttpRequest request, DistributionDbContext db, CancellationToken cancellationToken, string? region = null, string? presence = null,
        int? limit = null, string? marker = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxSitesLimit)
        {
            errors["limit"] = [$"limit is a whole number from 1 to {MaxSitesLimit}."];
        }

        if (presence is not null && !ImagePresence.All.Contains(presence, StringComparer.Ordinal))
        {
            errors["presence"] = [$"presence is one of {string.Join(", ", ImagePresence.All)}; got '{presence}'."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        var pageSize = limit ?? 50;
        var sites = await ImageFleetQuery.SitesAsync(db, imageId, ForwardedCaller.From(request), region ?? "", presence, marker, pageSize + 1, cancellationToken);
        var next = sites.Count > pageSize ? sites[pageSize - 1].VimId : null;
        return Results.Ok(new ImageSiteListResource(imageId, region ?? "", sites.Take(pageSize).ToList(), next));
    }
}
