using ImageManager.Contracts.Vims;
using System.Security.Cryptography;
using System.Text.Json;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ImageManager.Distribution.Vims.Bulk;

/// <summary>
/// Registers many VIMs, or brings existing ones to their registration, in one transaction (all or nothing), a batch of
/// <see cref="BatchSize"/> at a time: a batch's existing rows in one query, its inserts and updates in one
/// <c>SaveChanges</c> (which EF Core sends as a few batched round trips). A VIM already as asked is not written, and
/// credentials are encrypted again only when they changed (the stored ones are decrypted and compared), so a repeated
/// request changes nothing. Bulk upserts take turns (a transaction-scoped advisory lock), so two naming the same new VIM
/// cannot both insert it; one that meets a single registration of the same id is tried again, and then updates it.
/// </summary>
public sealed class VimBulkUpsert(
    IDbContextFactory<DistributionDbContext> contexts, VimCredentialProtector protector, VimProbeQueue probes, TimeProvider clock, ILogger<VimBulkUpsert> logger)
{
    /// <summary>Most VIMs in one request: the largest fleets, a few MiB of JSON.</summary>
    public const int MaxVims = 10_000;

    /// <summary>Rows per query and per <c>SaveChanges</c>: large enough for few round trips, small enough for a modest change tracker.</summary>
    const int BatchSize = 1_000;

    /// <summary>Entries named in one refusal; ten thousand broken entries make no readable answer.</summary>
    const int MaxReportedErrors = 100;

    /// <summary>The advisory lock's key: a number of this database's own choosing ("vimbulk" in ASCII).</summary>
    const long LockKey = 0x76696d62756c6b;

    const int Attempts = 3;

    /// <summary>
    /// Each entry checked as a single registration is (<see cref="VimRequestValidator"/>), its errors named by position
    /// (<c>vims[17].endpoint</c>), under the same address policy (<paramref name="addresses"/>; the defaults when null);
    /// each id at most once; 1 to <see cref="MaxVims"/> entries.
    /// </summary>
    public static Dictionary<string, string[]> Validate(BulkVimRequest? request, DistributionOptions? addresses = null)
    {
        addresses ??= new DistributionOptions();
        var errors = new Dictionary<string, string[]>();
        if (request?.Vims is not { Count: > 0 and <= MaxVims } vims)
        {
            errors["vims"] = [$"vims is a list of 1 to 10,000 VIM registrations (this one has {request?.Vims?.Count ?? 0}), each as POST /api/v1/vims takes it; send more in several requests."];
            return errors;
        }

        var firstAt = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < vims.Count && errors.Count < MaxReportedErrors; i++)
        {
            if (vims[i] is not { } vim)
            {
                errors[$"vims[{i}]"] = [$"vims[{i}] is null; each entry is a VIM registration object."];
                continue;
            }

            foreach (var (field, reasons) in VimRequestValidator.Validate(vim, addresses.AllowPrivateVimAddresses, addresses.PrivateVimNetworks))
            {
                errors[$"vims[{i}].{field}"] = reasons;
            }

            if (vim.Id is { } id && !firstAt.TryAdd(id, i))
            {
                errors[$"vims[{i}].id"] = [$"id '{id}' is also at vims[{firstAt[id]}]; each VIM appears once in a request."];
            }
        }

        return errors;
    }

    /// <summary>Applies valid registrations (see <see cref="Validate"/>); refuses, writing nothing, an entry that would change a VIM's type.</summary>
    public async Task<BulkVimOutcome> UpsertAsync(IReadOnlyList<RegisterVimRequest> vims, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UpsertOnceAsync(vims, cancellationToken);
            }
            catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } && attempt < Attempts)
            {
                logger.LogInformation("A VIM of a bulk upsert was registered by another request meanwhile; the upsert starts again (attempt {Attempt}).", attempt + 1);
            }
        }
    }

    async Task<BulkVimOutcome> UpsertOnceAsync(IReadOnlyList<RegisterVimRequest> vims, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        var now = clock.GetUtcNow();
        var (created, updated, unchanged) = (0, 0, 0);
        var errors = new Dictionary<string, string[]>();
        var reached = new List<string>();
        for (var start = 0; start < vims.Count; start += BatchSize)
        {
            var batch = vims.Skip(start).Take(BatchSize).ToList();
            var ids = batch.Select(v => v.Id!).ToList();
            var existing = await db.Vims.Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, StringComparer.Ordinal, cancellationToken);
            for (var i = 0; i < batch.Count; i++)
            {
                var request = batch[i];
                if (!existing.TryGetValue(request.Id!, out var vim))
                {
                    vim = new Vim { Id = request.Id!, Type = request.Type!, Endpoint = null!, CreatedAt = now };
                    VimEndpoints.Apply(vim, request, protector, now);
                    db.Vims.Add(vim);
                    reached.Add(vim.Id);
                    created++;
                }
                else if (vim.Type != request.Type)
                {
                    errors[$"vims[{start + i}].type"] = [$"VIM '{vim.Id}' is registered as {vim.Type}; type cannot change (register the other VIM under another id)."];
                }
                else if (Update(db, vim, request, now, reached))
                {
                    updated++;
                }
                else
                {
                    unchanged++;
                }
            }

            if (errors.Count == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();
        }

        if (errors.Count > 0)
        {
            return new BulkVimOutcome(null, errors, []); // the transaction ends unfinished: what earlier batches wrote is rolled back
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var vimId in reached)
        {
            probes.EnqueueBulk(vimId); // their health is found anew in the background, after single registrations
        }

        return new BulkVimOutcome(new BulkVimResult(created, updated, unchanged), errors, reached);
    }

    /// <summary>
    /// Brings a tracked VIM to <paramref name="request"/>; false, leaving the row untouched, when it already was so. A VIM
    /// now reached differently is added to <paramref name="reached"/>.
    /// </summary>
    bool Update(DistributionDbContext db, Vim vim, RegisterVimRequest request, DateTimeOffset now, List<string> reached)
    {
        var before = Registration(vim);
        var accessBefore = Access(vim);
        var (storedCredentials, updatedAt) = (vim.ProtectedCredentials, vim.UpdatedAt);
        VimEndpoints.Apply(vim, request with { Credentials = null }, protector, now);
        vim.ProtectedCredentials = request.Credentials is null ? null
            : SameCredentials(storedCredentials, request.Credentials) ? storedCredentials
            : protector.Protect(request.Credentials);
        if (vim.ProtectedCredentials == storedCredentials && Registration(vim) == before)
        {
            vim.UpdatedAt = updatedAt;
            db.Entry(vim).State = EntityState.Unchanged;
            return false;
        }

        if (vim.ProtectedCredentials != storedCredentials || Access(vim) != accessBefore)
        {
            VimAccess.ForgetHealth(vim); // what the VIM answered at its old address or to its old credentials says nothing now
            reached.Add(vim.Id);
        }

        return true;
    }

    bool SameCredentials(string? stored, VimCredentials requested)
    {
        try
        {
            return stored is not null && Equals(protector.Unprotect(stored), requested);
        }
        catch (CryptographicException)
        {
            return false; // encrypted with a key that is gone: encrypted again with the current one
        }
    }

    /// <summary>Where and how the VIM is reached, but the credentials: what a probe's answer depends on.</summary>
    static string Access(Vim vim) => JsonSerializer.Serialize(new object?[]
    {
        vim.Type, vim.Endpoint.AbsoluteUri, vim.IdentityUrl?.AbsoluteUri, vim.Region, vim.Tenant, vim.CaCertificates, vim.InsecureSkipTlsVerify,
    });

    /// <summary>Everything a registration sets but the credentials, comparable as one string.</summary>
    static string Registration(Vim vim) => JsonSerializer.Serialize(new object?[]
    {
        vim.Endpoint.AbsoluteUri, vim.IdentityUrl?.AbsoluteUri, vim.Tenant, vim.Region, vim.Tags, vim.UploadMode,
        vim.CaCertificates, vim.InsecureSkipTlsVerify, vim.MaxConcurrentUploads, vim.BandwidthLimitBytesPerSecond,
    });
}
