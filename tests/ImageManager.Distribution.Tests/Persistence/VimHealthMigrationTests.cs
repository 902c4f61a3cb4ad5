using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace ImageManager.Distribution.Tests.Persistence;

/// <summary>
/// VIMs registered before health was honest, taken through the migration that records it: one that served a target has
/// answered, one whose last probe failed keeps what it found, one never heard from is unknown, and a password in a URL goes.
/// </summary>
public sealed class VimHealthMigrationTests : IAsyncLifetime
{
    const string Before = "DataProtectionKeys";
    readonly DistributionDatabase _database = new();

    public async Task InitializeAsync()
    {
        await using var db = new DistributionDbContext(_database.Options);
        await db.GetService<IMigrator>().MigrateAsync(Before);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task When_existing_vims_are_migrated_their_health_is_what_was_known_of_them_and_urls_lose_their_passwords()
    {
        var servedAt = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        await ExecuteAsync("""
            INSERT INTO vims (id, type, endpoint, identity_url, tags, insecure_skip_tls_verify, consecutive_failures, last_error, created_at, updated_at) VALUES
              ('served', 'openstack', 'http://glance.example/', NULL, '{}', false, 0, NULL, now(), now()),
              ('refused', 'openstack', 'http://127.0.0.1:9/', NULL, '{}', false, 0, 'Glance at http://127.0.0.1:9 is unreachable: Connection refused (127.0.0.1:9)', now(), now()),
              ('failing', 'openstack', 'http://glance.example/', NULL, '{}', false, 3, 'Glance refused to list its images: 503 Service Unavailable', now(), now()),
              ('silent', 'openstack', 'https://admin:s3cret@glance.example:9292/', 'https://admin:s3cret@keystone.example:5000/v3', '{}', false, 0, NULL, now(), now());
            """, servedAt);
        foreach (var distribution in new[] { "0195a3c5-0000-7000-8000-000000000001", "0195a3c5-0000-7000-8000-000000000002" })
        {
            await InsertDistributionAsync(distribution);
        }

        await ExecuteAsync("""
            INSERT INTO distribution_targets (distribution_id, vim_id, state, attempt, progress, bytes_sent, wave, sequence, created_at, updated_at) VALUES
              ('0195a3c5-0000-7000-8000-000000000001', 'served', 'active', 1, 100, 10, 0, 0, @servedAt, @servedAt),
              ('0195a3c5-0000-7000-8000-000000000002', 'served', 'failed', 1, 0, 0, 0, 0, @servedAt + interval '1 day', @servedAt + interval '1 day'),
              ('0195a3c5-0000-7000-8000-000000000001', 'refused', 'failed', 6, 0, 0, 0, 1, @servedAt, @servedAt);
            """, servedAt);

        await using var db = new DistributionDbContext(_database.Options);
        await db.Database.MigrateAsync();
        var vims = await db.Vims.AsNoTracking().ToDictionaryAsync(v => v.Id);

        Assert.Equal((VimHealth.Healthy, servedAt), (VimHealth.StateOf(vims["served"]), vims["served"].LastAnsweredAt));
        Assert.Equal((VimHealth.Unhealthy, VimHealthReasons.Unreachable), (VimHealth.StateOf(vims["refused"]), vims["refused"].HealthReason));
        Assert.Equal((VimHealth.Unhealthy, VimHealthReasons.Refused), (VimHealth.StateOf(vims["failing"]), vims["failing"].HealthReason));
        Assert.Equal(VimHealth.Unknown, VimHealth.StateOf(vims["silent"]));
        Assert.Equal(("https://glance.example:9292/", "https://keystone.example:5000/v3"), (vims["silent"].Endpoint.AbsoluteUri, vims["silent"].IdentityUrl!.AbsoluteUri));
    }

    /// <summary>A distribution row for the targets to belong to: what it holds does not matter here, only that it exists.</summary>
    Task InsertDistributionAsync(string id) => ExecuteAsync($$"""
        DO $$
        DECLARE names text; placeholders text;
        BEGIN
            SELECT string_agg(quote_ident(column_name), ', '),
                   string_agg(CASE WHEN data_type = 'uuid' THEN quote_literal('{{id}}') || '::uuid'
                                   WHEN data_type IN ('integer', 'bigint', 'smallint', 'double precision', 'numeric', 'real') THEN '0'
                                   WHEN data_type LIKE 'timestamp%' THEN 'now()'
                                   WHEN data_type = 'boolean' THEN 'false'
                                   ELSE quote_literal('x') END, ', ')
            INTO names, placeholders
            FROM information_schema.columns
            WHERE table_name = 'distributions' AND is_nullable = 'NO' AND column_default IS NULL AND is_generated = 'NEVER';
            EXECUTE format('INSERT INTO distributions (%s) VALUES (%s)', names, placeholders);
        END $$;
        """, default);

    async Task ExecuteAsync(string sql, DateTimeOffset servedAt)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("servedAt", servedAt);
        await command.ExecuteNonQueryAsync();
    }
}
