using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.Distribution.Vims.Bulk;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImageManager.Distribution.Tests.Vims.Bulk;

/// <summary>The bulk upsert on a real PostgreSQL database: batches in one transaction, idempotence, concurrent upserts.</summary>
public sealed class VimBulkUpsertTests : IAsyncLifetime
{
    readonly DistributionDatabase _database = new();
    ServiceProvider _services = null!;

    VimBulkUpsert Upsert => _services.GetRequiredService<VimBulkUpsert>();

    VimCredentialProtector Protector => _services.GetRequiredService<VimCredentialProtector>();

    IReadOnlyList<string> Queued() => _services.GetRequiredService<VimProbeQueue>().Drain();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(_database.Factory())
            .AddSingleton<VimCredentialProtector>()
            .AddSingleton<VimBulkUpsert>()
            .AddSingleton<VimProbeQueue>()
            .AddDataProtection().UseEphemeralDataProtectionProvider().Services
            .BuildServiceProvider(true);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    static RegisterVimRequest Vim(int n, string password = "pw", string region = "north") => new()
    {
        Id = $"bulk_{n:D5}",
        Type = "openstack",
        Endpoint = $"https://glance-{n}.example.net:9292/",
        IdentityUrl = "https://keystone.example.net:5000/v3",
        Region = region,
        Tags = ["edge"],
        Credentials = new VimCredentials { Username = "im", Password = $"{password}-{n}", ProjectName = "images" },
    };

    async Task<Dictionary<string, (string Credentials, uint RowVersion)>> StoredAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT id, protected_credentials, xmin FROM vims", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new Dictionary<string, (string, uint)>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = (reader.GetString(1), reader.GetFieldValue<uint>(2));
        }

        return rows;
    }

    [Fact]
    public async Task When_more_vims_than_a_batch_are_upserted_all_are_written_and_a_repeat_writes_no_row()
    {
        var vims = Enumerable.Range(0, 2_500).Select(n => Vim(n)).ToList();

        var created = await Upsert.UpsertAsync(vims, CancellationToken.None);
        var before = await StoredAsync();
        var repeated = await Upsert.UpsertAsync(vims, CancellationToken.None);

        Assert.Equal(new BulkVimResult(2_500, 0, 0), created.Result);
        Assert.Equal(new BulkVimResult(0, 0, 2_500), repeated.Result);
        Assert.Equal((2_500, 0), (created.Reached.Count, repeated.Reached.Count));
        Assert.Equal(before, await StoredAsync()); // same ciphertexts and no new row versions: nothing was written
        Assert.Equal("pw-2499", Protector.Unprotect(before["bulk_02499"].Credentials)!.Password);
    }

    [Fact]
    public async Task When_only_some_vims_change_only_those_are_written_and_only_changed_credentials_are_encrypted_again()
    {
        var vims = Enumerable.Range(0, 1_200).Select(n => Vim(n)).ToList();
        await Upsert.UpsertAsync(vims, CancellationToken.None);
        var before = await StoredAsync();
        vims[3] = Vim(3, password: "new");
        vims[1_100] = Vim(1_100) with { Tags = ["edge", "canary"] };

        var outcome = await Upsert.UpsertAsync(vims, CancellationToken.None);
        var after = await StoredAsync();

        Assert.Equal(new BulkVimResult(0, 2, 1_198), outcome.Result);
        Assert.Equal(["bulk_00003", "bulk_01100"], after.Where(r => r.Value.RowVersion != before[r.Key].RowVersion).Select(r => r.Key).Order());
        Assert.Equal(["bulk_00003"], after.Where(r => r.Value.Credentials != before[r.Key].Credentials).Select(r => r.Key));
        Assert.Equal("new-3", Protector.Unprotect(after["bulk_00003"].Credentials)!.Password);
        Assert.Equal(["bulk_00003"], outcome.Reached); // reached with other credentials; a new tag changes nothing a probe sees
    }

    [Fact]
    public async Task When_a_write_fails_in_a_later_batch_nothing_of_the_earlier_batches_stays()
    {
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            // A real refusal by the server in the third batch, after two batches were sent.
            await using var trigger = new NpgsqlCommand("""
                CREATE FUNCTION refuse_vim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                CREATE TRIGGER refuse_vim BEFORE INSERT ON vims FOR EACH ROW WHEN (NEW.id = 'bulk_02400') EXECUTE FUNCTION refuse_vim();
                """, connection);
            await trigger.ExecuteNonQueryAsync();
        }

        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => Upsert.UpsertAsync([.. Enumerable.Range(0, 2_500).Select(n => Vim(n))], CancellationToken.None));

        Assert.Contains("refused by the test", failure.InnerException!.Message, StringComparison.Ordinal);
        await using var db = new DistributionDbContext(_database.Options);
        Assert.Equal(0, await db.Vims.CountAsync());
    }

    [Fact]
    public async Task When_an_existing_vim_would_change_type_nothing_is_written_and_the_entry_is_named()
    {
        await Upsert.UpsertAsync([Vim(7)], CancellationToken.None);
        var before = await StoredAsync();

        var outcome = await Upsert.UpsertAsync([Vim(1), Vim(2), new RegisterVimRequest { Id = "bulk_00007", Type = "oci-registry", Endpoint = "https://registry.example.net/" }], CancellationToken.None);

        Assert.Null(outcome.Result);
        Assert.Contains("openstack", Assert.Single(outcome.Errors, e => e.Key == "vims[2].type").Value.Single(), StringComparison.Ordinal);
        Assert.Equal(before, await StoredAsync());
    }

    [Fact]
    public async Task When_two_upserts_of_the_same_new_vims_run_at_once_each_vim_is_created_once()
    {
        var vims = Enumerable.Range(0, 1_500).Select(n => Vim(n)).ToList();

        var outcomes = await Task.WhenAll(Task.Run(() => Upsert.UpsertAsync(vims, CancellationToken.None)), Task.Run(() => Upsert.UpsertAsync(vims, CancellationToken.None)));

        Assert.Equal([new BulkVimResult(0, 0, 1_500), new BulkVimResult(1_500, 0, 0)], outcomes.Select(o => o.Result).OrderBy(r => r!.Created));
        Assert.Equal(1_500, (await StoredAsync()).Count);
    }

    [Fact]
    public void When_entries_break_the_rules_each_is_named_by_its_index_and_field()
    {
        var vims = Enumerable.Range(0, 20).Select(n => (RegisterVimRequest?)Vim(n)).ToList();
        vims[4] = vims[4]! with { Endpoint = "ftp://glance.example.net/" };
        vims[9] = null;
        vims[12] = vims[12]! with { Limits = new VimLimits { MaxConcurrentUploads = 0 } };
        vims[17] = vims[17]! with { Id = "bulk_00002" };

        var errors = VimBulkUpsert.Validate(new BulkVimRequest { Vims = vims });

        Assert.Equal(["vims[12].limits.maxConcurrentUploads", "vims[17].id", "vims[4].endpoint", "vims[9]"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("vims[2]", errors["vims[17].id"].Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public void When_there_are_no_vims_or_more_than_ten_thousand_the_list_is_named(int count)
    {
        var errors = VimBulkUpsert.Validate(new BulkVimRequest { Vims = [.. Enumerable.Range(0, count).Select(n => Vim(n))] });

        Assert.Contains("10,000", Assert.Single(errors, e => e.Key == "vims").Value.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_vims_are_registered_or_reached_anew_their_old_health_is_forgotten_and_they_are_queued_for_a_probe()
    {
        var vims = Enumerable.Range(0, 3).Select(n => Vim(n)).ToList();
        await Upsert.UpsertAsync(vims, CancellationToken.None);
        Assert.Equal(["bulk_00000", "bulk_00001", "bulk_00002"], Queued());
        await using (var db = await _database.Factory().CreateDbContextAsync())
        {
            // Each VIM as a probe left it: answering, and the last one refusing.
            await db.Vims.ExecuteUpdateAsync(v => v.SetProperty(x => x.LastAnsweredAt, DateTimeOffset.UtcNow));
            await db.Vims.Where(v => v.Id == "bulk_00002").ExecuteUpdateAsync(v => v.SetProperty(x => x.HealthReason, VimHealthReasons.Unreachable));
        }

        vims[1] = vims[1] with { Endpoint = "https://glance-moved.example.net:9292/" };
        vims[2] = vims[2] with { Tags = ["edge", "canary"] };
        var outcome = await Upsert.UpsertAsync(vims, CancellationToken.None);

        Assert.Equal(["bulk_00001"], Queued());
        await using var check = await _database.Factory().CreateDbContextAsync();
        var stored = await check.Vims.AsNoTracking().OrderBy(v => v.Id).ToListAsync();
        Assert.Equal(new BulkVimResult(0, 2, 1), outcome.Result);
        Assert.Equal([true, false, true], stored.Select(v => v.LastAnsweredAt is not null));
        Assert.Equal([null, null, VimHealthReasons.Unreachable], stored.Select(v => v.HealthReason));
    }

    [Fact]
    public void When_an_entry_points_at_a_loopback_address_it_is_refused_by_its_place_unless_private_addresses_are_allowed()
    {
        BulkVimRequest request = new() { Vims = [Vim(0), Vim(1) with { Endpoint = "http://127.0.0.1:9292/" }] };

        var refused = VimBulkUpsert.Validate(request);
        var allowed = VimBulkUpsert.Validate(request, new DistributionOptions { AllowPrivateVimAddresses = true });

        Assert.Equal(["vims[1].endpoint"], refused.Keys);
        Assert.Contains("127.0.0.1", refused["vims[1].endpoint"].Single(), StringComparison.Ordinal);
        Assert.Empty(allowed);
    }
}
