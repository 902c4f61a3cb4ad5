using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Distributions;
using ImageManager.ServiceDefaults.BusAccess;
using ImageManager.Testing;
using ImageManager.VimSimulator;
using MassTransit;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The whole system with virtual VIMs from the <see cref="VimSimulator.VimSimulator"/>, and what fault tests ask of it:
/// fleets of VIMs by group, active images, progress, every target, an idle bus, and what a distribution must end with.
/// </summary>
public abstract class SimulatedFleetSystem(string name, RabbitMqBroker broker, bool blobsInS3 = false) : ServiceSystem(name, broker, blobsInS3)
{
    public VimSimulator.VimSimulator Simulator { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Simulator = await VimSimulator.VimSimulator.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }
    }

    /// <summary>
    /// Registers <paramref name="count"/> virtual VIMs named <c>{group}-0000</c>... (their names in the simulator), tagged
    /// <paramref name="group"/> so that a selector finds them, each behaving as <paramref name="behaviour"/> says for its number.
    /// </summary>
    public async Task<IReadOnlyList<string>> AddSimulatedVimsAsync(string group, int count, Func<int, SimulatedVimBehaviour> behaviour)
    {
        var names = Enumerable.Range(0, count).Select(i => $"{group}-{i:D4}").ToArray();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, _) => await RegisterSimulatedAsync(group, name));

        // Each registration is probed at once: the behaviours (a first request that fails, latency) are for the
        // distribution, so they apply once those probes have found the VIMs healthy.
        await Eventually.Get(() => PollJsonAsync($"/api/v1/vims?tag={Uri.EscapeDataString(group)}&health=unknown&limit=1"),
            page => page["vims"]?.AsArray().Count == 0, TimeSpan.FromMinutes(5), $"the registration probes of the VIMs of {group}");
        for (var i = 0; i < count; i++)
        {
            Simulator.Configure(names[i], behaviour(i));
        }

        return names;
    }

    /// <summary>Registers one virtual VIM named <paramref name="name"/>, tagged <paramref name="group"/>.</summary>
    public async Task AddSimulatedVimAsync(string group, string name, SimulatedVimBehaviour behaviour)
    {
        Simulator.Configure(name, behaviour);
        await RegisterSimulatedAsync(group, name);
    }

    Task<string> RegisterSimulatedAsync(string group, string name) =>
        RegisterVimAsync(name, Simulator.EndpointOf(name), new Dictionary<string, object?> { ["tags"] = new[] { group } });

    /// <summary>A small image, created, uploaded and validated: ready to distribute.</summary>
    public async Task<(Guid Id, TestImage Image)> ActiveImageAsync(string name)
    {
        var image = TestImage.Random(64 * 1024);
        var id = await CreateImageAsync(name, image.Sha256, image.Sha512);
        await UploadAsync(id, image);
        await WaitForStatusAsync(id, "active");
        return (id, image);
    }

    public Task<Guid> DistributeToGroupAsync(Guid imageId, string group) =>
        DistributeAsync(new { imageId, selector = new { tags = new[] { group } } });

    /// <summary>Waits until at least <paramref name="share"/> of the targets are final: the moment to break something.</summary>
    public Task<JsonObject> WaitForProgressAsync(Guid distributionId, double share) =>
        Eventually.Get(
            () => PollJsonAsync($"/api/v1/distributions/{distributionId}"),
            distribution => distribution["progress"]?.GetValue<double>() >= share,
            TimeSpan.FromMinutes(2),
            $"distribution {distributionId} to be {share:P0} done");

    /// <summary>Every target of a distribution, through all the pages.</summary>
    public async Task<IReadOnlyList<JsonObject>> TargetsAsync(Guid distributionId)
    {
        var targets = new List<JsonObject>();
        string? marker = null;
        for (var page = 0; page < 100; page++)
        {
            var body = await Api.GetFromJsonAsync<JsonObject>(
                $"/api/v1/distributions/{distributionId}/targets?limit=1000{(marker is null ? "" : $"&marker={Uri.EscapeDataString(marker)}")}");
            targets.AddRange(body!["targets"]!.AsArray().Select(t => t!.AsObject()));
            marker = body["next"]?.GetValue<string>();
            if (marker is null)
            {
                return targets;
            }
        }

        throw new InvalidOperationException($"Distribution {distributionId} has more than 100 pages of targets.");
    }

    /// <summary>
    /// Waits until nothing is in flight on the bus (every queue empty, the error queues aside), so that every event the
    /// system was going to publish has reached the observer; then expects the error queues empty too: no message faulted.
    /// </summary>
    public async Task WaitUntilBusIdleAsync()
    {
        var depths = await Eventually.Get(
            Broker.QueueDepthsAsync,
            queues => queues.Where(q => !IsErrorQueue(q.Key)).All(q => q.Value == 0),
            TimeSpan.FromMinutes(2),
            "every queue to be empty");
        var faulted = depths.Where(q => IsErrorQueue(q.Key) && q.Value > 0).Select(q => $"{q.Key}: {q.Value}").ToList();
        Assert.True(faulted.Count == 0, $"Messages faulted: {string.Join(", ", faulted)}");
    }

    /// <summary>The completions the observer received for a distribution (call <see cref="WaitUntilBusIdleAsync"/> first).</summary>
    public static IReadOnlyList<DistributionCompleted> CompletionsOf(Guid distributionId) =>
        BusRecorder.All<DistributionCompleted>().Where(c => c.DistributionId == distributionId).ToList();

    /// <summary>
    /// What a distribution to healthy VIMs must end with, whatever broke on the way: completed and succeeded, every target
    /// <c>active</c>, every VIM holding the image once with its SHA-512 and having received its bytes exactly once, and
    /// exactly one <see cref="DistributionCompleted"/>. Returns the uploads the VIMs counted, and the targets that took more than one attempt.
    /// </summary>
    public async Task<(int Uploads, int Retried)> ExpectEveryVimServedOnceAsync(Guid distributionId, TestImage image, IReadOnlyList<string> vims)
    {
        var distribution = await CompletedAsync(distributionId);
        var targets = await TargetsAsync(distributionId);
        Assert.Equal(vims.Count, targets.Count);
        var notActive = targets.Where(t => t["state"]!.GetValue<string>() != TargetStates.Active).Select(t => t.ToJsonString()).ToList();
        Assert.True(notActive.Count == 0, $"{notActive.Count} targets are not active: {string.Join(", ", notActive.Take(5))}");
        Assert.Equal(DistributionOutcomes.Succeeded, distribution["outcome"]?.GetValue<string>());
        Assert.Equal(vims.Count, distribution["counts"]!["active"]!.GetValue<int>());
        Assert.Equal(vims.Select(VimIdOf).Order(StringComparer.Ordinal), targets.Select(t => t["vimId"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        var twice = vims.Where(v => Simulator.UploadsTo(v) != 1).Select(v => $"{v}: {Simulator.UploadsTo(v)} uploads").ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} VIMs did not get the bytes exactly once: {string.Join(", ", twice.Take(10))}");
        var wrong = vims.Where(v => Simulator.ImagesOf(v) is not [{ Status: "active" } held] || held.Sha512 != image.Sha512).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} VIMs do not hold exactly the one image, active, with its SHA-512: {string.Join(", ", wrong.Take(10))}");

        await WaitUntilBusIdleAsync();
        var completions = CompletionsOf(distributionId);
        var completed = Assert.Single(completions);
        Assert.Equal(DistributionOutcomes.Succeeded, completed.Outcome);
        Assert.Equal(vims.Count, completed.ActiveCount);
        return (vims.Sum(Simulator.UploadsTo), targets.Count(t => t["attempt"]!.GetValue<int>() > 1));
    }

    /// <summary>
    /// Schedules, as one of Image Manager's own services (the scheduler takes no ScheduleMessage from outside), an upload's
    /// retry due at <paramref name="due"/> to a queue of its own that nothing consumes; returns the queue. Sent to the
    /// scheduler's exchange: a send to its queue would declare it again, as a classic queue where a cluster's is a quorum one.
    /// </summary>
    public async Task<string> ScheduleProbeAsync(DateTime due)
    {
        var probe = $"scheduled-probe-{Guid.NewGuid():N}";
        await using var service = await OutsideSender.ConnectAsync(Broker.Uri, BrokerUser.Of(Broker.Uri));
        var retry = new UploadImageToVim { DistributionId = Guid.NewGuid(), ImageId = Guid.NewGuid(), VimId = probe };
        await service.Bus.CreateMessageScheduler(new Uri("exchange:scheduler")).ScheduleSend(new Uri($"queue:{probe}"), due, retry);
        return probe;
    }

    /// <summary>
    /// Waits for the scheduled message in <paramref name="probe"/>'s queue and expects it there once and none faulted in the
    /// scheduler; then deletes the queue, so that the fixture's next test finds the bus idle.
    /// </summary>
    public async Task ExpectProbeDeliveredAsync(string probe, TimeSpan within)
    {
        var queues = await Eventually.Get(Broker.QueueDepthsAsync, queues => queues.GetValueOrDefault(probe) > 0, within, $"the scheduled message in {probe}");
        await Broker.DeleteQueueAsync(probe);
        Assert.Equal(1, queues[probe]);
        Assert.Equal(0, queues.GetValueOrDefault("scheduler_error"));
    }

    /// <summary>Waits for the distribution to complete; if it does not, says which targets are still open and what waits in the queues.</summary>
    public async Task<JsonObject> CompletedAsync(Guid distributionId)
    {
        try
        {
            return await WaitForDistributionAsync(distributionId, TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            // Short and first: a CI log keeps only so much, and the distribution itself (the timeout's own text) is long.
            var open = (await TargetsAsync(distributionId)).Where(t => !TargetStates.IsFinal(t["state"]!.GetValue<string>())).ToList();
            var queues = await Broker.QueueDepthsAsync();
            var histories = open.Take(3).Select(t => $"{t["vimId"]}: {string.Join(" | ", LogLinesMentioning(t["vimId"]!.GetValue<string>()).TakeLast(8))}");
            throw new TimeoutException(
                $"Distribution {distributionId} did not complete: {open.Count} targets open, for example {string.Join(", ", open.Take(5).Select(t => t.ToJsonString()))}; "
                + $"messages in queues: {string.Join(", ", queues.Where(q => q.Value > 0).Select(q => $"{q.Key} {q.Value}"))}; "
                + $"the services' last log lines about them: {string.Join(" || ", histories)}.");
        }
    }

    static bool IsErrorQueue(string queue) => queue.EndsWith("_error", StringComparison.Ordinal) || queue.EndsWith("_skipped", StringComparison.Ordinal);
}
