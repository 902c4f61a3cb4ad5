using System.Text.Json;
using ImageManager.Api.Notifications;
using ImageManager.ServiceDefaults;
using ImageManager.Testing;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Tests.Notifications;

/// <summary>
/// Subscribers' messages through the real broker: the notifications of one batch that share a type and a tenant travel as
/// one message, and a DMaaP poll hands out each of its events as if it had come alone, <c>limit</c> counting events,
/// none lost and none repeated.
/// </summary>
public sealed class NotificationBrokerTests(RabbitMqBroker rabbit) : IClassFixture<RabbitMqBroker>, IAsyncLifetime
{
    const string Topic = NotificationTopics.Distribution;
    const string TargetChanged = "org.onap.imagemanager.distribution.target.changed";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly string _group = $"group-{Guid.NewGuid():N}"[..16];
    NotificationBroker _broker = null!;

    string Queue => $"notifications.{Topic}.all.{_group}";

    public async Task InitializeAsync()
    {
        _broker = new NotificationBroker(Options.Create(new RabbitMqOptions { Uri = rabbit.Uri }), Options.Create(new NotificationOptions()), TimeProvider.System);
        Assert.Empty(await PollAsync(limit: 1)); // the group exists from its first poll on
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task When_target_changes_of_one_tenant_are_published_together_they_travel_as_one_message_and_a_poll_hands_out_each_alone()
    {
        var progress = Event("org.onap.imagemanager.distribution.progress", "acme");
        var changes = Events(5, "acme");
        var otherTenant = Event(TargetChanged, "globex");

        await _broker.PublishAllAsync(Topic, [progress, .. changes, otherTenant], CancellationToken.None);

        // The progress alone, the five changes together, the other tenant's change alone.
        Assert.Equal(3, (await rabbit.QueueDepthsAsync())[Queue]);
        var polled = await PollAsync(limit: 100);
        Assert.Equal(new[] { progress }.Concat(changes).Append(otherTenant).Select(Alone), polled);
        Assert.Equal(0, (await rabbit.QueueDepthsAsync())[Queue]);
    }

    [Fact]
    public async Task When_the_limit_is_smaller_than_a_batch_the_first_events_come_now_and_the_others_on_the_next_polls()
    {
        var changes = Events(7, "acme");
        await _broker.PublishAllAsync(Topic, changes, CancellationToken.None);

        var first = await PollAsync(limit: 3);
        var second = await PollAsync(limit: 3);
        var third = await PollAsync(limit: 3);

        Assert.Equal((3, 3, 1), (first.Count, second.Count, third.Count));
        Assert.Equal(changes.Select(Alone), first.Concat(second).Concat(third));
        Assert.Empty(await PollAsync(limit: 3));
    }

    [Fact]
    public async Task When_a_batch_does_not_fit_after_single_events_it_waits_whole_for_the_next_poll()
    {
        var alone = Event(TargetChanged, "acme");
        var changes = Events(4, "acme");
        await _broker.PublishAsync(Topic, alone, CancellationToken.None);
        await _broker.PublishAllAsync(Topic, changes, CancellationToken.None);

        var first = await PollAsync(limit: 3);
        var second = await PollAsync(limit: 10);

        Assert.Equal([Alone(alone)], first);
        Assert.Equal(changes.Select(Alone), second);
        Assert.Equal(0, (await rabbit.QueueDepthsAsync())[Queue]);
    }

    [Fact]
    public async Task When_the_answer_to_a_poll_that_split_a_batch_cannot_be_written_every_event_waits_for_the_next_poll_once()
    {
        var changes = Events(5, "acme");
        await _broker.PublishAllAsync(Topic, changes, CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() =>
            _broker.PollAsync(Topic, _group, tenant: null, limit: 2, TimeSpan.Zero, _ => throw new IOException("the subscriber went away"), CancellationToken.None));

        Assert.Equal(changes.Select(Alone), await PollAsync(limit: 100));
        Assert.Empty(await PollAsync(limit: 100));
    }

    async Task<IReadOnlyList<string>> PollAsync(int limit)
    {
        IReadOnlyList<string> delivered = [];
        await _broker.PollAsync(Topic, _group, tenant: null, limit, TimeSpan.Zero, messages =>
        {
            delivered = messages;
            return Task.CompletedTask;
        }, CancellationToken.None);
        return delivered;
    }

    /// <summary>A notification as a subscriber receives it when it travels alone.</summary>
    static string Alone(CloudEvent notification) => JsonSerializer.Serialize(notification, Json);

    static List<CloudEvent> Events(int count, string tenant) => Enumerable.Range(0, count).Select(_ => Event(TargetChanged, tenant)).ToList();

    static CloudEvent Event(string type, string tenant) =>
        new(Guid.NewGuid().ToString(), "/imagemanager", type, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, tenant,
            new { vimId = $"vim-{Guid.NewGuid():N}"[..12], state = "active", note = "ünïcode \"quoted\" \u2028" });
}
