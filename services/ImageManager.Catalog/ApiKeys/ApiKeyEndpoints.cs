using ImageManager.Catalog.Persistence;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;
using ImageManager.Contracts.ApiKeys;

namespace ImageManager.Catalog.ApiKeys;

/// <summary>
/// API keys for systems such as SDC and SO: created by an admin (the key is in that answer and nowhere else), listed,
/// revoked. The Api checks presented keys against <c>/internal/v1/api-keys/{id}</c>.
/// </summary>
public static class ApiKeyEndpoints
{
    static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(90);
    static readonly TimeSpan LongestLifetime = TimeSpan.FromDays(730);

    public static WebApplication MapApiKeyEndpoints(this WebApplication app)
    {
        var keys = app.MapGroup("/api/v1/api-keys");
        keys.MapPost("/", Create);
        keys.MapGet("/", List);
        keys.MapGet("/{id}", Get);
        keys.MapDelete("/{id}", Revoke);
        app.MapGet("/internal/v1/api-keys/{id}", Lookup);
        return app;
    }

    static async Task<IResult> Create(CreateApiKeyRequest request, HttpRequest http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 255)
        {
            errors["name"] = ["name is required: up to 255 characters that say who or what uses the key (for example 'sdc-production')."];
        }
        else if (RequestText.ProblemWithName("name", request.Name) is { } problem)
        {
            errors["name"] = [problem];
        }

        if (!TenantNames.IsValid(request.Tenant))
        {
            errors["tenant"] = [$"tenant is required: {TenantNames.Rule}."];
        }

        var roles = request.Roles?.Distinct(StringComparer.Ordinal).ToArray() ?? [];
        if (roles.Length == 0 || roles.Any(r => !CallerRoles.All.Contains(r)))
        {
            errors["roles"] = [$"roles is required: one or more of {string.Join(", ", CallerRoles.All)}."];
        }

        var expiresAt = request.ExpiresAt ?? now + DefaultLifetime;
        if (expiresAt <= now || expiresAt > now + LongestLifetime)
        {
            errors["expiresAt"] = [$"expiresAt must be in the future and at most {LongestLifetime.TotalDays:0} days away; without it a key lasts {DefaultLifetime.TotalDays:0} days."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        var (id, key, secretSha256) = ApiKeyFormat.Create();
        var apiKey = new ApiKey
        {
            Id = id,
            Name = request.Name!,
            Tenant = request.Tenant!,
            Roles = string.Join(',', roles),
            SecretSha256 = secretSha256,
            CreatedAt = now,
            CreatedBy = CallerIdOf(http),
            ExpiresAt = expiresAt,
        };
        db.ApiKeys.Add(apiKey);
        await db.SaveChangesAsync(cancellationToken);
        var shown = ApiKeyResource.From(apiKey);
        return Results.Created($"/api/v1/api-keys/{id}", new CreatedApiKeyResource(
            shown.Id, shown.Name, shown.Tenant, shown.Roles, shown.CreatedAt, shown.CreatedBy, shown.ExpiresAt, key,
            "This is the only time the key is shown: store it now. Image Manager keeps only its hash."));
    }

    static async Task<IResult> List(CatalogDbContext db, CancellationToken cancellationToken, bool includeRevoked = false)
    {
        var query = db.ApiKeys.AsNoTracking();
        if (!includeRevoked)
        {
            query = query.Where(k => k.RevokedAt == null);
        }

        var keys = await query.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(cancellationToken);
        return Results.Ok(new ApiKeyListResource(keys.Select(ApiKeyResource.From).ToList()));
    }

    static async Task<IResult> Get(string id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        return key is null ? NotFound(id) : Results.Ok(ApiKeyResource.From(key));
    }

    /// <summary>Revoking is for good and answers the same when repeated; the record stays, for the audit trail.</summary>
    static async Task<IResult> Revoke(string id, HttpRequest http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return NotFound(id);
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            key.RevokedBy = CallerIdOf(http);
            await db.SaveChangesAsync(cancellationToken);
        }

        return Results.NoContent();
    }

    static async Task<IResult> Lookup(string id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        return key is null ? NotFound(id) : Results.Ok(ApiKeyRecord.From(key));
    }

    static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "API key not found", detail: $"There is no API key with id '{id}'.");

    static string CallerIdOf(HttpRequest http) => ForwardedCaller.From(http)?.Id ?? "unknown";
}
