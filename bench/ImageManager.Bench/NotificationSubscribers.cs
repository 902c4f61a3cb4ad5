using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.Bench;

/// <summary>
/// Subscribers attached to a control-plane run, as operators attach them: three webhook subscriptions, each a real HTTP
/// receiver in this process that counts what it gets (an SO waiting for completions only; a portal following starts,
/// progress and completions; a NOC taking every distribution event, each target's final state included), and two DMaaP
/// consumer groups, each one consumer long-polling <c>GET /api/v1/events/IMAGE-DISTRIBUTION/{group}/{consumer}</c>.
/// </summary>
public sealed class NotificationSubscribers : IAsyncDisposable
{
    const string Topic = "IMAGE-DISTRIBUTION";
    const string Completed = "org.onap.imagemanager.distribution.completed";
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    static readonly (string Name, string[] Events)[] Webhooks =
    [
        ("so", [Completed]),
        ("portal", ["org.onap.imagemanager.distribution.started", "org.onap.imagemanager.distribution.progress", Completed]),
        ("noc", ["org.onap.imagemanager.distribution.*"]),
    ];

    static readonly string[] Groups = ["bench-dmaap-a", "bench-dmaap-b"];

    readonly BenchSystem _system;
    readonly List<(string Name, WebhookSubscriber Receiver, Guid Subscription)> _webhooks = [];
    readonly Dictionary<string, DmaapGroupReader> _groups = [];
    readonly CancellationTokenSource _stop = new();
    readonly List<Task> _polling = [];

    NotificationSubscribers(BenchSystem system) => _system = system;

    /// <summary>Subscribes them all; each DMaaP group is made by a first poll, so it receives from now on.</summary>
    public static async Task<NotificationSubscribers> AttachAsync(BenchSystem system)
    {
        var subscribers = new NotificationSubscribers(system);
        foreach (var (name, events) in Webhooks)
        {
            var receiver = new WebhookSubscriber();
            using var response = await system.Api.PostAsJsonAsync("/api/v1/subscriptions",
                new { url = receiver.Url, events, secret = $"bench-secret-{Guid.NewGuid():N}", description = $"bench {name}" });
            response.EnsureSuccessStatusCode();
            var id = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
            subscribers._webhooks.Add((name, receiver, id));
        }

        foreach (var group in Groups)
        {
            var reader = new DmaapGroupReader();
            await subscribers.PollAsync(group, reader, timeoutMs: 0);
            subscribers._groups[group] = reader;
            subscribers._polling.Add(Task.Run(() => subscribers.KeepPollingAsync(group, reader)));
        }

        return subscribers;
    }

    /// <summary>What each subscriber received so far.</summary>
    public (int Webhooks, int Dmaap) Counts() => (_webhooks.Sum(w => w.Receiver.Received.Count), _groups.Values.Sum(g => g.Count));

    /// <summary>Waits until every subscriber has the completion of <paramref name="distributionId"/>; how long that took.</summary>
    public async Task<TimeSpan> WaitForCompletionAsync(string distributionId)
    {
        var clock = Stopwatch.StartNew();
        while (!_webhooks.All(w => w.Receiver.Received.Any(r => IsCompletionOf(r.Body, distributionId))) || !_groups.Values.All(g => g.HasCompleted(distributionId)))
        {
            if (clock.Elapsed > Patience)
            {
                var missing = _webhooks.Where(w => !w.Receiver.Received.Any(r => IsCompletionOf(r.Body, distributionId))).Select(w => w.Name)
                    .Concat(_groups.Where(g => !g.Value.HasCompleted(distributionId)).Select(g => g.Key));
                throw new TimeoutException($"The completion of {distributionId} did not reach {string.Join(", ", missing)} within {Patience}.");
            }

            await Task.Delay(200);
        }

        return clock.Elapsed;
    }

    /// <summary>Per subscriber, what it received: name and count.</summary>
    public IEnumerable<(string Name, int Received)> Received() =>
        _webhooks.Select(w => ($"webhook {w.Name}", w.Receiver.Received.Count)).Concat(_groups.Select(g => ($"DMaaP {g.Key}", g.Value.Count)));

    static bool IsCompletionOf(byte[] body, string distributionId)
    {
        var notification = JsonNode.Parse(body)!.AsObject();
        return notification["type"]?.GetValue<string>() == Completed && notification["subject"]?.GetValue<string>() == distributionId;
    }

    async Task KeepPollingAsync(string group, DmaapGroupReader reader)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await PollAsync(group, reader, timeoutMs: 1000);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    async Task PollAsync(string group, DmaapGroupReader reader, int timeoutMs)
    {
        using var response = await _system.Api.GetAsync($"/api/v1/events/{Topic}/{group}/consumer-1?timeout={timeoutMs}&limit=1000", _stop.Token);
        response.EnsureSuccessStatusCode();
        foreach (var message in (await response.Content.ReadFromJsonAsync<JsonArray>(_stop.Token))!)
        {
            reader.Take(JsonNode.Parse(message!.GetValue<string>())!.AsObject());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_polling);
        foreach (var (_, receiver, subscription) in _webhooks)
        {
            using var response = await _system.Api.DeleteAsync($"/api/v1/subscriptions/{subscription}");
            receiver.Dispose();
        }

        _stop.Dispose();
    }
}
