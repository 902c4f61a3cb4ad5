using System.Net;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Distributions;

/// <summary>
/// Follows a distribution through <c>GET /distributions/{id}/events</c> until its <c>completed</c> event: shows the
/// counts and bytes on a progress bar, hands every event to the caller, and reconnects with <c>Last-Event-ID</c> when the
/// stream breaks before the end (the Api answers 204 once it is over).
/// </summary>
public sealed class DistributionFollower(ApiClient api, ProgressBar bar)
{
    static readonly string[] FinalStates = ["active", "failed", "skipped", "cancelled", "removed", "drifted"];

    /// <summary>
    /// The <c>completed</c> event's data (outcome, counts); throws with exit 7 after <paramref name="timeout"/>. A
    /// distribution is recorded a moment after the Api accepted it: until <paramref name="appearWithin"/> has passed,
    /// "not found" means "not yet".
    /// </summary>
    public async Task<JsonObject> FollowAsync(Guid distributionId, Action<ServerSentEvent> onEvent, TimeSpan timeout, TimeSpan appearWithin, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? lastEventId = null;
        try
        {
            while (true)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, ApiClient.Route($"distributions/{distributionId}/events"));
                request.Headers.Accept.ParseAdd("text/event-stream");
                if (lastEventId is not null)
                {
                    request.Headers.Add("Last-Event-ID", lastEventId);
                }

                try
                {
                    using var response = await api.OpenAsync(request, deadline.Token);
                    if (response.StatusCode == HttpStatusCode.NoContent)
                    {
                        return await CompletedFromStatusAsync(distributionId, deadline.Token);
                    }

                    await foreach (var message in ServerSentEventReader.ReadAsync(await response.Content.ReadAsStreamAsync(deadline.Token), deadline.Token))
                    {
                        lastEventId = message.Id ?? lastEventId;
                        Show(message);
                        onEvent(message);
                        if (message.Name == "completed")
                        {
                            bar.Finish();
                            return JsonNode.Parse(message.Data) as JsonObject ?? [];
                        }
                    }
                }
                catch (Exception exception) when (exception is IOException or HttpRequestException || exception is CliException { IsTransport: true })
                {
                    // The stream broke (a restart, a proxy's idle cut): the loop reconnects from the last event.
                }
                catch (CliException exception) when (exception.ExitCode == ExitCodes.NotFound && lastEventId is null && started.Elapsed < appearWithin)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
                    continue;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            bar.Finish();
            throw new CliException(ExitCodes.TimedOut, $"Distribution {distributionId} had not completed after {timeout.TotalSeconds:0} s (--timeout); it goes on.");
        }
    }

    void Show(ServerSentEvent message)
    {
        if (message.Name != "progress" || JsonNode.Parse(message.Data) is not JsonObject progress)
        {
            return;
        }

        var total = progress["targetCount"]?.GetValue<int>() ?? 0;
        var counts = progress["counts"] as JsonObject ?? [];
        var final = FinalStates.Sum(s => counts[s]?.GetValue<int>() ?? 0);
        var nonZero = string.Join(" ", counts.Where(c => c.Value?.GetValue<int>() > 0).Select(c => $"{c.Key} {c.Value}"));
        var bytes = progress["bytesSent"]?.GetValue<long>() ?? 0;
        var eta = progress["etaSeconds"] is JsonValue value && value.TryGetValue<double>(out var seconds) ? $"  ETA {seconds:0} s" : "";
        bar.Report(final, total, $"{final}/{total} targets  {nonZero}  {ResultWriter.Bytes(bytes)} sent{eta}");
    }

    async Task<JsonObject> CompletedFromStatusAsync(Guid distributionId, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync($"distributions/{distributionId}", cancellationToken);
        return JsonNode.Parse(answer.Body) as JsonObject ?? [];
    }

    /// <summary>Exit 0 when every target succeeded; else exit 6 with the outcome and the counts.</summary>
    public static void CheckOutcome(Guid distributionId, JsonObject completed)
    {
        var outcome = completed["outcome"]?.GetValue<string>();
        if (outcome == "succeeded")
        {
            return;
        }

        var counts = completed["counts"] as JsonObject ?? [];
        var summary = string.Join(", ", counts.Where(c => c.Value?.GetValue<int>() > 0).Select(c => $"{c.Value} {c.Key}"));
        throw new CliException(ExitCodes.Failed,
            $"Distribution {distributionId} ended {outcome ?? "without an outcome"} ({summary}); see: imagemanager distribution targets {distributionId} --state failed");
    }
}
