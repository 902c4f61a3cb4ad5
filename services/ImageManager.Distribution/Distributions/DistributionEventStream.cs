using System.Globalization;
using System.Text.Json;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Access;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// <c>GET /api/v1/distributions/{id}/events</c>: the distribution's progress as server-sent events, read from the
/// database (so any replica can serve any stream, whichever replica does the work): every ~500 ms the targets changed
/// since the last look (a target's row changes with each step, and every second or so while its bytes flow), one
/// <c>event: target</c> each, then <c>event: progress</c> when the counts, bytes or progress moved, and at the end
/// one <c>event: completed</c> (id <c>completed</c>) after which the stream closes. A comment line every 15 s keeps idle
/// connections open. Ids are positions in time (microseconds): a client that reconnects with <c>Last-Event-ID</c> gets
/// what changed after it, perhaps a few targets again (events are snapshots of a target, so a repeat is harmless); one that
/// reconnects after <c>completed</c> is answered 204, which tells an EventSource to stop.
/// </summary>
public static class DistributionEventStream
{
    public const string CompletedId = "completed";

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A target row carries its writer's clock, taken before its commit: a row committed a little late, or written by a
    /// replica whose clock is a little behind, can carry a time before rows already sent. Each look goes back this far
    /// (and skips what it already sent), so such a row is still seen.
    /// </summary>
    static readonly TimeSpan LookBack = TimeSpan.FromSeconds(2);

    const int Page = 500;

    public static async Task<IResult> StreamAsync(Guid id, HttpContext http, DistributionDbContext db, TimeProvider clock)
    {
        var cancellationToken = http.RequestAborted;
        var lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        DateTimeOffset? resumeAfter = null;
        if (lastEventId == CompletedId)
        {
            return Results.NoContent();
        }

        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var micros) || micros > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() * 1000)
            {
                var detail = $"Last-Event-ID is the id of an event of this stream (a number, or '{CompletedId}'); got '{lastEventId}'.";
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["Last-Event-ID"] = [detail] }, detail: detail);
            }

            resumeAfter = DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        }

        if (!await db.Distributions.VisibleTo(ForwardedCaller.From(http.Request)).AnyAsync(d => d.CorrelationId == id, cancellationToken))
        {
            return DistributionEndpoints.NotFound(id);
        }

        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var stream = new ServerSentEventWriter(http.Response, clock);
        try
        {
            await stream.WriteAsync($"retry: 2000\n\n", cancellationToken);
            await RunAsync(id, db, clock, stream, resumeAfter, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }

        return Results.Empty;
    }

    static async Task RunAsync(Guid id, DistributionDbContext db, TimeProvider clock, ServerSentEventWriter stream, DateTimeOffset? resumeAfter, CancellationToken cancellationToken)
    {
        var sent = new Dictionary<string, (DateTimeOffset UpdatedAt, string State, int Attempt)>(StringComparer.Ordinal);
        var settled = resumeAfter ?? DateTimeOffset.MinValue;
        string? lastProgress = null;
        while (true)
        {
            var readAt = clock.GetUtcNow();

            // The distribution before its targets: if it is completed here, every target's last write is visible below.
            var distribution = await DistributionEndpoints.LoadAsync(db, id, caller: null, 0, readAt, cancellationToken);
            if (distribution is null)
            {
                return; // removed while watched
            }

            var imageBytes = await DistributionEndpoints.ImageBytesAsync(db, distribution.ImageId, cancellationToken);
            await SendChangedTargetsAsync(id, db, imageBytes, stream, sent, settled, cancellationToken);
            settled = Max(settled, readAt - LookBack);
            var eventId = Id(settled);

            var progress = Json(new { distribution.State, distribution.TargetCount, distribution.Counts, distribution.BytesSent, distribution.Progress, distribution.EtaSeconds });
            if (progress != lastProgress)
            {
                await stream.EventAsync(eventId, "progress", progress, cancellationToken);
                lastProgress = progress;
            }

            if (distribution.State == "completed")
            {
                await stream.EventAsync(CompletedId, "completed",
                    Json(new { distribution.Outcome, distribution.TargetCount, distribution.Counts, distribution.CompletedAt }), cancellationToken);
                return;
            }

            if (clock.GetUtcNow() - stream.LastWriteAt >= HeartbeatInterval)
            {
                await stream.WriteAsync(": heartbeat\n\n", cancellationToken);
            }

            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }

    /// <summary>
    /// The targets updated after <paramref name="after"/>, in update order, a page at a time; those already sent as they
    /// are now are skipped. Each event's id is <paramref name="after"/>: a client resuming with it gets this whole look
    /// again, so a target that shares its update time with the one before is never lost.
    /// </summary>
    static async Task SendChangedTargetsAsync(
        Guid id, DistributionDbContext db, long imageBytes, ServerSentEventWriter stream, Dictionary<string, (DateTimeOffset, string, int)> sent, DateTimeOffset after, CancellationToken cancellationToken)
    {
        var eventId = Id(after);
        (DateTimeOffset Time, string Vim)? last = null;
        while (true)
        {
            var targets = db.Targets.AsNoTracking().Where(t => t.DistributionId == id);
            if (last is var (time, vim))
            {
                targets = targets.Where(t => t.UpdatedAt > time || (t.UpdatedAt == time && string.Compare(t.VimId, vim) > 0));
            }
            else
            {
                targets = targets.Where(t => t.UpdatedAt > after);
            }

            var page = await targets.OrderBy(t => t.UpdatedAt).ThenBy(t => t.VimId).Take(Page).ToListAsync(cancellationToken);
            foreach (var target in page)
            {
                var now = (target.UpdatedAt, target.State, target.Attempt);
                if (sent.TryGetValue(target.VimId, out var before) && before == now)
                {
                    continue;
                }

                sent[target.VimId] = now;
                var resource = TargetResource.From(target, imageBytes);
                await stream.EventAsync(eventId, "target", Json(new
                {
                    resource.VimId,
                    resource.State,
                    resource.Attempt,
                    Error = resource.LastError,
                    resource.BytesSent,
                    resource.Progress,
                    resource.EtaSeconds,
                    resource.VimImageId,
                    resource.UpdatedAt,
                }), cancellationToken);
            }

            if (page.Count < Page)
            {
                return;
            }

            last = (page[^1].UpdatedAt, page[^1].VimId);
        }
    }

    /// <summary>Microseconds since 1970, PostgreSQL's precision: the position to resume after.</summary>
    static string Id(DateTimeOffset at) =>
        at == DateTimeOffset.MinValue ? "0" : ((at - DateTimeOffset.UnixEpoch).Ticks / 10).ToString(CultureInfo.InvariantCulture);

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
