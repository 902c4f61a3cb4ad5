using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Distributions;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Persistence;

/// <summary>
/// Distributions created as the service creates them, the saga and the target-progress consumer on the real PostgreSQL: targets recorded on their own rows under
/// concurrent, out-of-order and repeated events, and exactly one completion.
/// </summary>
public sealed class OptimisticSagaRepositoryTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncLifetime
{
    ServiceProvider _provider = null!;

    ITestHarness Harness => _provider.GetRequiredService<ITestHarness>();

    public async Task InitializeAsync()
    {
        await database.RegisterVimsAsync(["a", "b", "c", "a_1", "b_2", "c_3"]);
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddDbContextFactory<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString))
            .AddDbContext<DistributionDbContext>(options => options.UseNpgsql(database.ConnectionString), optionsLifetime: ServiceLifetime.Singleton)
            .AddDistributionCreation()
            .AddScoped<TargetChangeRecorder>()
            .AddMassTransitTestHarness(x =>
            {
                x.AddDistributionCreationConsumers();
                x.AddConsumer<TargetProgressConsumer, TargetProgressConsumerDefinition>();
                x.AddConsumer<DistributionCompletionRecordedConsumer, DistributionCompletionRecordedConsumerDefinition>();
                x.AddConsumer<CompletionDeliveries>();
                x.AddSagaStateMachine<DistributionStateMachine, DistributionState, DistributionStateDefinition>()
                    .OptimisticPostgresRepository();
                x.AddConfigureEndpointsCallback((_, cfg) => cfg.ConcurrentMessageLimit = 16);
            })
            .BuildServiceProvider(true);
        await Harness.Start();
    }

    public async Task DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task When_many_targets_finish_at_once_every_one_is_counted_and_completion_is_published_once()
    {
        var (id, vims) = await DistributeToAsync("owner_region", 200);

        await ReportAllAsync(id, vims);

        var row = await WaitForRow(id, row => row?.CurrentState == "Completed");
        Assert.Equal((200, 200, DistributionOutcomes.Succeeded), (row!.TargetCount, row.ActiveCount, row.Outcome));
        Assert.All(await Targets(id), target => Assert.Equal(TargetStates.Active, target.State));
        Assert.True(await Harness.Published.Any<DistributionCompleted>(x => x.Context.Message.DistributionId == id));
        await Task.Delay(500); // let any stray retry finish before counting
        Assert.Single(Harness.Published.Select<DistributionCompleted>(x => x.Context.Message.DistributionId == id));

        // The Catalog hears of every target, in fewer messages than there were events.
        var recorded = Harness.Published.Select<VimImageStatesRecorded>(x => x.Context.Message.Changes.Any(c => c.DistributionId == id)).ToList();
        Assert.Equal(vims.Order(StringComparer.Ordinal), recorded.SelectMany(x => x.Context.Message.Changes).Select(c => c.VimId).Distinct().Order(StringComparer.Ordinal));
        Assert.All(recorded.SelectMany(x => x.Context.Message.Changes), change => Assert.Equal(TargetStates.Active, change.State));
        Assert.True(recorded.Count < vims.Length, $"{recorded.Count} batches for {vims.Length} events");
    }

    [Fact]
    public async Task When_the_same_request_is_delivered_twice_at_once_one_distribution_exists_and_uploads_are_sent_once()
    {
        var id = NewId.NextGuid();
        var request = new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = ["a_1", "b_2", "c_3"], RequestedAt = DateTimeOffset.UtcNow };

        await Task.WhenAll(Harness.Bus.Publish(request), Harness.Bus.Publish(request));

        await WaitForRow(id, row => row is not null);
        Assert.True(await Harness.Consumed.Any<DistributeRequested>(x => x.Context.Message.DistributionId == id));
        await Task.Delay(500);
        Assert.Equal(3, Harness.Sent.Select<UploadImageToVims>(x => x.Context.Message.DistributionId == id).Sum(x => x.Context.Message.VimIds.Count));
        await using var db = _provider.GetRequiredService<IDbContextFactory<DistributionDbContext>>().CreateDbContext();
        Assert.Equal(3, await db.Targets.CountAsync(t => t.DistributionId == id));
    }

    [Fact]
    public async Task When_events_of_a_target_arrive_late_or_twice_the_latest_step_wins_and_a_final_state_stays()
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = ["a", "b", "c"], RequestedAt = DateTimeOffset.UtcNow });
        await WaitForRow(id, row => row is not null);

        await Change(id, "a", TargetStates.Verifying, 1);
        await Change(id, "a", TargetStates.Uploading, 1); // late
        await Change(id, "b", TargetStates.Pending, 1, error: "503 Service Unavailable");
        await Change(id, "b", TargetStates.Uploading, 2);
        await Change(id, "b", TargetStates.Pending, 1, error: "stale"); // from the first attempt
        await Change(id, "c", TargetStates.Failed, 3, error: "gave up");
        await Change(id, "c", TargetStates.Active, 4); // after a final state

        var targets = (await Targets(id)).ToDictionary(t => t.VimId);
        Assert.Equal(TargetStates.Verifying, targets["a"].State);
        Assert.Equal((TargetStates.Uploading, 2, "503 Service Unavailable"), (targets["b"].State, targets["b"].Attempt, targets["b"].LastError));
        Assert.Equal((TargetStates.Failed, "gave up"), (targets["c"].State, targets["c"].LastError));
        Assert.Equal("Distributing", (await WaitForRow(id, row => row is not null))!.CurrentState);
    }

    [Fact]
    public async Task When_a_target_starts_a_new_attempt_its_bytes_count_from_zero_and_no_event_of_an_attempt_lowers_its_count()
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = ["a", "b"], RequestedAt = DateTimeOffset.UtcNow });
        await WaitForRow(id, row => row is not null);

        await Change(id, "a", TargetStates.Uploading, 1);
        await Change(id, "a", TargetStates.Verifying, 1, bytesSent: 5_000_000);
        await Change(id, "a", TargetStates.Pending, 1, error: "Glance's hash differs; retried", bytesSent: 0);
        var waiting = (await Targets(id)).Single(t => t.VimId == "a");
        await Change(id, "a", TargetStates.Uploading, 2);
        var again = (await Targets(id)).Single(t => t.VimId == "a");
        await Change(id, "b", TargetStates.Uploading, 1);
        await Change(id, "b", TargetStates.Active, 1, bytesSent: 7_000_000);
        await Change(id, "b", TargetStates.Verifying, 1, bytesSent: 1); // late

        Assert.Equal((TargetStates.Pending, 5_000_000L), (waiting.State, waiting.BytesSent)); // what the failed attempt sent, while it waits
        Assert.Equal((TargetStates.Uploading, 2, 0L), (again.State, again.Attempt, again.BytesSent));
        Assert.Equal((TargetStates.Active, 7_000_000L), (await Targets(id)).Where(t => t.VimId == "b").Select(t => (t.State, t.BytesSent)).Single());
    }

    [Fact]
    public async Task When_the_last_target_fails_the_outcome_counts_every_state_and_a_redelivered_final_event_changes_nothing()
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = ["a", "b", "c"], RequestedAt = DateTimeOffset.UtcNow });
        await WaitForRow(id, row => row is not null);

        await Change(id, "a", TargetStates.Active, 1);
        await Change(id, "b", TargetStates.Skipped, 1);
        await Change(id, "c", TargetStates.Failed, 2, error: "Glance refused");
        await Change(id, "c", TargetStates.Failed, 2, error: "Glance refused");

        var row = await WaitForRow(id, row => row?.CurrentState == "Completed");
        Assert.Equal((DistributionOutcomes.PartiallyFailed, 1, 1, 1), (row!.Outcome, row.ActiveCount, row.SkippedCount, row.FailedCount));
        await Task.Delay(500);
        Assert.Single(Harness.Published.Select<DistributionCompleted>(x => x.Context.Message.DistributionId == id));
    }

    [Fact]
    public async Task When_asked_with_request_response_the_completion_is_the_response()
    {
        var id = NewId.NextGuid();
        var client = Harness.GetRequestClient<DistributeRequested>();
        var response = client.GetResponse<DistributionCompleted>(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = ["a"], RequestedAt = DateTimeOffset.UtcNow });
        await WaitForRow(id, row => row is not null);

        await Change(id, "a", TargetStates.Active, 1);

        var completed = (await response).Message;
        Assert.Equal((id, DistributionOutcomes.Succeeded, 1), (completed.DistributionId, completed.Outcome, completed.ActiveCount));
        Assert.Single(Harness.Published.Select<DistributionCompleted>(x => x.Context.Message.DistributionId == id));
    }

    [Fact]
    public async Task When_the_process_died_after_saving_the_outcome_a_repeat_publishes_the_completion_once_under_the_distribution_id()
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = ["a"], RequestedAt = DateTimeOffset.UtcNow });
        await WaitForRow(id, row => row is not null);
        await Change(id, "a", TargetStates.Failed, 1, error: "gone");
        await WaitForRow(id, row => row?.CompletionPublishedAt is not null);
        await using (var db = await _provider.GetRequiredService<IDbContextFactory<DistributionDbContext>>().CreateDbContextAsync())
        {
            // The state a crash between saving the row and publishing leaves behind: completed, the completion still owed.
            await db.Distributions.Where(d => d.CorrelationId == id).ExecuteUpdateAsync(set => set.SetProperty(d => d.CompletionPublishedAt, (DateTimeOffset?)null));
        }

        var finished = new DistributionTargetsFinished
        {
            DistributionId = id,
            TargetCount = 1,
            ActiveCount = 0,
            FailedCount = 1,
            SkippedCount = 0,
            CancelledCount = 0,
            FinishedAt = DateTimeOffset.UtcNow,
        };
        await Harness.Bus.Publish(finished);
        await Harness.Bus.Publish(finished);

        var row = await WaitForRow(id, row => row?.CompletionPublishedAt is not null);
        int Delivered() => CompletionDeliveries.Of(id);
        await ImageManager.Testing.Eventually.Get(() => Task.FromResult(Delivered()), n => n == 2, TimeSpan.FromSeconds(30), "the owed completion");
        await Task.Delay(500); // let the second repeat be handled before counting
        Assert.Equal(2, Delivered()); // the first, and the one owed after the "crash"; the second repeat finds it published
        Assert.All(Harness.Published.Select<DistributionCompleted>(x => x.Context.Message.DistributionId == id), x => Assert.Equal(id, x.Context.MessageId));
        Assert.Equal((DistributionOutcomes.Failed, 1), (row!.Outcome, row.FailedCount));
    }

    [Fact]
    public async Task When_a_vim_s_words_hold_nul_and_control_characters_the_target_fails_readably_and_its_batch_proceeds()
    {
        var (id, vims) = await DistributeToAsync("owner_nul", 30);

        await ReportAllAsync(id, vims, change => change.VimId != vims[7] ? change : change with
        {
            State = TargetStates.Failed,
            VimImageId = "id\0with nul",
            Error = "Glance refused: 400: bad\0\0image \u001b[2J\u0085 see http://admin:pw@vim/?signature=abc",
        });

        var row = await WaitForRow(id, row => row?.CurrentState == "Completed");
        Assert.Equal((DistributionOutcomes.PartiallyFailed, 29, 1), (row!.Outcome, row.ActiveCount, row.FailedCount));
        var failed = (await Targets(id)).Single(t => t.VimId == vims[7]);
        Assert.Equal("Glance refused: 400: bad\uFFFDimage \uFFFD[2J see http://[redacted]@vim/?signature=[redacted]", failed.LastError);
        Assert.Equal("id\uFFFDwith nul", failed.VimImageId);
    }

    [Fact]
    public async Task When_postgresql_refuses_one_change_of_a_batch_only_that_target_fails_saying_why()
    {
        await using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            // A data error for one record, the way PostgreSQL raises one (22023), whatever the record holds.
            await connection.OpenAsync();
            await using var trigger = new Npgsql.NpgsqlCommand("""
                CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22023'; END $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS refuse_poison ON distribution_targets;
                CREATE TRIGGER refuse_poison BEFORE UPDATE ON distribution_targets
                    FOR EACH ROW WHEN (NEW.last_error LIKE '%poison%') EXECUTE FUNCTION refuse_poison();
                """, connection);
            await trigger.ExecuteNonQueryAsync();
        }

        var (id, vims) = await DistributeToAsync("owner_poison", 30);

        await ReportAllAsync(id, vims, change => change.VimId != vims[3] ? change : change with
        {
            State = TargetStates.Pending,
            VimImageId = null,
            Error = "a poison pill",
        });

        var row = await WaitForRow(id, row => row?.CurrentState == "Completed");
        Assert.Equal((DistributionOutcomes.PartiallyFailed, 29, 1), (row!.Outcome, row.ActiveCount, row.FailedCount));
        var poisoned = (await Targets(id)).Single(t => t.VimId == vims[3]);
        Assert.Equal((TargetStates.Failed, "The VIM's answer could not be recorded: 22023: refused by the test"), (poisoned.State, poisoned.LastError));
        Assert.Contains(Harness.Published.Select<VimImageStatesRecorded>(_ => true).SelectMany(x => x.Context.Message.Changes),
            change => change.VimId == vims[3] && change.State == TargetStates.Failed && change.Error == poisoned.LastError);
    }

    /// <summary>A distribution to <paramref name="count"/> VIMs named <c>{prefix}-001</c> and on, once its row is in PostgreSQL.</summary>
    async Task<(Guid Id, string[] Vims)> DistributeToAsync(string prefix, int count)
    {
        var id = NewId.NextGuid();
        var vims = Enumerable.Range(1, count).Select(i => $"{prefix}-{i:000}").ToArray();
        await database.RegisterVimsAsync(vims);
        await Harness.Bus.Publish(new DistributeRequested { DistributionId = id, ImageId = Guid.NewGuid(), VimIds = vims, RequestedAt = DateTimeOffset.UtcNow });
        await WaitForRow(id, row => row is not null);
        return (id, vims);
    }

    /// <summary>Every target reports at once: active at the first attempt, unless <paramref name="change"/> says otherwise.</summary>
    Task ReportAllAsync(Guid id, string[] vims, Func<VimImageStateChanged, VimImageStateChanged>? change = null) =>
        Task.WhenAll(vims.Select(vim => Harness.Bus.Publish((change ?? (c => c))(new VimImageStateChanged
        {
            DistributionId = id,
            ImageId = Guid.Empty,
            VimId = vim,
            State = TargetStates.Active,
            Attempt = 1,
            VimImageId = vim,
            ChangedAt = DateTimeOffset.UtcNow,
        }))));

    async Task Change(Guid id, string vimId, string state, int attempt, string? error = null, long bytesSent = 0)
    {
        var change = new VimImageStateChanged
        {
            DistributionId = id,
            ImageId = Guid.Empty,
            VimId = vimId,
            State = state,
            Attempt = attempt,
            Error = error,
            BytesSent = bytesSent,
            ChangedAt = DateTimeOffset.UtcNow,
        };
        await Harness.Bus.Publish(change);
        Assert.True(await Harness.Consumed.Any<VimImageStateChanged>(x => x.Context.Message == change));
    }

    async Task<List<DistributionTarget>> Targets(Guid id)
    {
        await using var db = await _provider.GetRequiredService<IDbContextFactory<DistributionDbContext>>().CreateDbContextAsync();
        return await db.Targets.AsNoTracking().Where(t => t.DistributionId == id).ToListAsync();
    }

    async Task<DistributionState?> WaitForRow(Guid id, Func<DistributionState?, bool> done)
    {
        var factory = _provider.GetRequiredService<IDbContextFactory<DistributionDbContext>>();
        return await ImageManager.Testing.Eventually.Get(
            async () =>
            {
                await using var db = await factory.CreateDbContextAsync();
                return await db.Distributions.AsNoTracking().FirstOrDefaultAsync(d => d.CorrelationId == id);
            },
            done,
            TimeSpan.FromSeconds(30),
            $"distribution {id} in PostgreSQL");
    }
}
