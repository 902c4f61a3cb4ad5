using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Distributions;
using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.EndToEnd.Tests;

/// <summary><c>GET /api/v1/distributions/{id}/events</c> through the Api: target events, progress, one completion, resuming.</summary>
[Collection(SystemCollection.Name)]
public sealed class DistributionEventsTests(SystemFixture system) : IAsyncLifetime
{
    VimSimulator.VimSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await VimSimulator.VimSimulator.StartAsync();

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task When_a_distributions_events_are_streamed_each_targets_changes_come_then_exactly_one_completed_event_and_the_end()
    {
        var imageId = await ActiveImageAsync("events", 32_768);
        var first = await system.RegisterGlanceAsync("events-1", Infrastructure.Glance1);
        var second = await system.RegisterGlanceAsync("events-2", Infrastructure.Glance2);
        var id = await system.DistributeAsync(imageId, first, second);

        using var stream = await OpenAsync(id);
        var events = await ReadToEndAsync(stream);

        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType!.MediaType);
        var targets = events.Where(e => e.EventType == "target").Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.Equal([first, second], targets.Select(t => t["vimId"]!.GetValue<string>()).Distinct().Order());
        Assert.All(new[] { first, second }, vim => Assert.Equal("active", targets.Last(t => t["vimId"]!.GetValue<string>() == vim)["state"]!.GetValue<string>()));
        Assert.All(events.Where(e => e.EventType is "target" or "progress"), e => Assert.True(long.TryParse(e.EventId, out _), $"id '{e.EventId}'"));
        Assert.Contains(events, e => e.EventType == "progress");

        var completed = Assert.Single(events, e => e.EventType == "completed");
        Assert.Equal("completed", events[^1].EventType);
        Assert.Equal("completed", completed.EventId);
        var outcome = JsonNode.Parse(completed.Data)!;
        Assert.Equal(("succeeded", 2, 2), (outcome["outcome"]!.GetValue<string>(), outcome["targetCount"]!.GetValue<int>(), outcome["counts"]!["active"]!.GetValue<int>()));
        var lastProgress = JsonNode.Parse(events.Last(e => e.EventType == "progress").Data)!;
        Assert.Equal(1.0, lastProgress["progress"]!.GetValue<double>());

        // Resuming after the first progress event sends only targets changed after its position and ends the same way;
        // after 'completed', nothing more.
        var resumeAt = events.First(e => e.EventType == "progress").EventId!;
        using var resumed = await OpenAsync(id, resumeAt);
        var again = await ReadToEndAsync(resumed);
        var position = DateTimeOffset.UnixEpoch.AddTicks(long.Parse(resumeAt) * 10);
        Assert.All(again.Where(e => e.EventType == "target"), e => Assert.True(JsonNode.Parse(e.Data)!["updatedAt"]!.GetValue<DateTimeOffset>() > position, $"{e.Data} is from before {position:O}"));
        Assert.Single(again, e => e.EventType == "completed");
        using var done = await OpenAsync(id, "completed");
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
    }

    [Fact]
    public async Task When_events_are_streamed_through_the_api_they_arrive_as_they_happen_not_when_the_stream_ends()
    {
        // A VIM that takes its time over the bytes: the 'uploading' event must reach the client while the upload runs.
        var imageId = await ActiveImageAsync("events-live", 2 * 1024 * 1024);
        var slowId = $"sim_events-slow-{Guid.NewGuid():N}"[..28];
        _simulator.Configure(slowId, new SimulatedVimBehaviour { BandwidthBytesPerSecond = 256 * 1024 });
        var slow = await system.RegisterGlanceAsync("events-slow", _simulator.EndpointOf(slowId));
        var id = await system.DistributeAsync(imageId, slow);

        using var stream = await OpenAsync(id);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var body = await stream.Content.ReadAsStreamAsync(deadline.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(deadline.Token))
        {
            if (item.EventType == "target" && JsonNode.Parse(item.Data)!["state"]!.GetValue<string>() == "uploading")
            {
                break;
            }
        }

        var status = await system.GetJsonAsync($"/api/v1/distributions/{id}");
        Assert.Equal(("distributing", "uploading"), (status["state"]!.GetValue<string>(), status["targets"]![0]!["state"]!.GetValue<string>()));
        Assert.Equal("completed", (await system.WaitForDistributionAsync(id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_an_upload_ends_before_its_steps_last_only_its_end_goes_out_on_the_bus()
    {
        // A VIM that answers at once: uploading and verifying end within the step time (2 s), and are not worth a message.
        var imageId = await ActiveImageAsync("events-quick", 1024);
        var quickId = $"sim_events-quick-{Guid.NewGuid():N}"[..28];
        _simulator.Configure(quickId, new SimulatedVimBehaviour());
        var quick = await system.RegisterGlanceAsync("events-quick", _simulator.EndpointOf(quickId));

        var id = await system.DistributeAsync(imageId, quick);
        await system.WaitForDistributionAsync(id);

        var published = await Eventually.Get(
            () => Task.FromResult(BusRecorder.All<VimImageStateChanged>().Where(e => e.DistributionId == id).Select(e => e.State).ToList()),
            states => states.Count > 0, TimeSpan.FromSeconds(30), "the target's states on the bus");
        Assert.Equal([TargetStates.Active], published);
    }

    [Fact]
    public async Task When_last_event_id_is_not_an_id_of_the_stream_the_answer_names_it()
    {
        var id = await system.DistributeAsync(await ActiveImageAsync("events-bad-id", 1024), await system.RegisterGlanceAsync("events-bad-id", Infrastructure.Glance1));
        await system.WaitForDistributionAsync(id);

        using var response = await OpenAsync(id, "yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("yesterday", (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["Last-Event-ID"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>Opens the stream through the Api; a distribution appears a moment after it is accepted, so a 404 is asked again.</summary>
    async Task<HttpResponseMessage> OpenAsync(Guid id, string? lastEventId = null) =>
        (await Eventually.Get(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/distributions/{id}/events");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (lastEventId is not null)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
            }

            var response = await system.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                return response;
            }

            response.Dispose();
            return null;
        }, response => response is not null, TimeSpan.FromSeconds(30), $"distribution {id} to exist"))!;

    /// <summary>Every event until the server ends the stream (bounded: the distribution completes within the bound).</summary>
    static async Task<List<SseItem<string>>> ReadToEndAsync(HttpResponseMessage response)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(deadline.Token))
        {
            events.Add(item);
        }

        return events;
    }

    async Task<Guid> ActiveImageAsync(string name, int size)
    {
        var imageId = await system.CreateImageAsync(name);
        await system.UploadAsync(imageId, TestImage.Random(size));
        await system.WaitForStatusAsync(imageId, "active");
        return imageId;
    }
}
