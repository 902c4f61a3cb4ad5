using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Fleet;
using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Access;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Fleet;

/// <summary>
/// An image on every VIM, from the latest target of the image on each (of the caller's distributions and removals):
/// counted per region in one grouped query, or a page of one region's VIMs. What the latest target says maps to an
/// <see cref="ImagePresence"/>; a VIM the image never went to is missing.
/// </summary>
public static class ImageFleetQuery
{
    static readonly string[] PresentStates = [TargetStates.Active, TargetStates.Skipped, TargetStates.Removing, TargetStates.SuccessorPending, TargetStates.SuccessorPresent];
    static readonly string[] InProgressStates = [TargetStates.Pending, TargetStates.Uploading, TargetStates.Verifying];

    public static async Task<List<ImageRegionPresence>> RegionsAsync(DistributionDbContext db, Guid imageId, ForwardedCaller? caller, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(caller);
        var rows = await db.Database.SqlQuery<RegionRow>($"""
            WITH latest AS (
                SELECT DISTINCT ON (t.vim_id) t.vim_id, t.state
                FROM distribution_targets t JOIN distributions d ON d.id = t.distribution_id
                WHERE d.image_id = {imageId} AND ({tenant} = '' OR d.tenant = {tenant})
                ORDER BY t.vim_id, t.updated_at DESC)
            SELECT coalesce(v.region, '') AS "Region", count(*)::int AS "Vims",
                   (count(*) FILTER (WHERE l.state = ANY({PresentStates})))::int AS "Present",
                   (count(*) FILTER (WHERE l.state = ANY({InProgressStates})))::int AS "InProgress",
                   (count(*) FILTER (WHERE l.state = {TargetStates.Failed}))::int AS "Failed",
                   (count(*) FILTER (WHERE l.state = {TargetStates.Drifted}))::int AS "Drifted"
            FROM vims v LEFT JOIN latest l ON l.vim_id = v.id
            GROUP BY coalesce(v.region, '')
            ORDER BY 1
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new ImageRegionPresence(r.Region, r.Vims, r.Present, r.InProgress, r.Failed, r.Drifted,
            r.Vims - r.Present - r.InProgress - r.Failed - r.Drifted)).ToList();
    }

    /// <summary>One region's VIMs after <paramref name="marker"/> in id order (<paramref name="take"/> of them), optionally of one presence.</summary>
    public static async Task<List<ImageSite>> SitesAsync(
        DistributionDbContext db, Guid imageId, ForwardedCaller? caller, string region, string? presence, string? marker, int take, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(caller);
        var rows = await db.Database.SqlQuery<SiteRow>($"""
            WITH latest AS (
                SELECT DISTINCT ON (t.vim_id) t.vim_id, t.state, t.last_error, t.updated_at
                FROM distribution_targets t JOIN distributions d ON d.id = t.distribution_id
                WHERE d.image_id = {imageId} AND ({tenant} = '' OR d.tenant = {tenant})
                ORDER BY t.vim_id, t.updated_at DESC),
            sites AS (
                SELECT v.id AS vim_id, coalesce(v.region, '') AS region,
                       CASE WHEN v.consecutive_failures > 0 OR v.health_reason IS NOT NULL THEN {VimHealth.Unhealthy}
                            WHEN v.last_answered_at IS NOT NULL THEN {VimHealth.Healthy} ELSE {VimHealth.Unknown} END AS health,
                       CASE WHEN l.state = ANY({PresentStates}) THEN {ImagePresence.Present}
                            WHEN l.state = ANY({InProgressStates}) THEN {ImagePresence.InProgress}
                            WHEN l.state = {TargetStates.Failed} THEN {ImagePresence.Failed}
                            WHEN l.state = {TargetStates.Drifted} THEN {ImagePresence.Drifted}
                            ELSE {ImagePresence.Missing} END AS presence,
                       l.state, l.last_error, l.updated_at
                FROM vims v LEFT JOIN latest l ON l.vim_id = v.id
                WHERE coalesce(v.region, '') = {region} AND v.id > {marker ?? ""})
            SELECT vim_id AS "VimId", region AS "Region", health AS "Health", presence AS "Presence", state AS "TargetState",
                   last_error AS "Error", updated_at AS "ChangedAt"
            FROM sites
            WHERE {presence ?? ""} = '' OR presence = {presence ?? ""}
            ORDER BY vim_id
            LIMIT {take}
            """).ToListAsync(cancellationToken);
        return rows.Select(r => new ImageSite(r.VimId, r.Region, r.Health, r.Presence, r.TargetState, r.Error, r.ChangedAt)).ToList();
    }

    /// <summary>'' when the caller sees every tenant's distributions (an operator, or the service itself).</summary>
    static string TenantOf(ForwardedCaller? caller) => caller is null || caller.SeesEveryTenant ? "" : caller.Tenant;

    sealed record RegionRow(string Region, int Vims, int Present, int InProgress, int Failed, int Drifted);

    sealed record SiteRow(string VimId, string Region, string Health, string Presence, string? TargetState, string? Error, DateTimeOffset? ChangedAt);
}
