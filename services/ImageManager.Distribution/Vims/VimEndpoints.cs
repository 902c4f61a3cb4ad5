using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.Contracts.Vims;
using ImageManager.ServiceDefaults.Binding;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Vims;

/// <summary>The VIM registry's HTTP API.</summary>
public static class VimEndpoints
{
    public static WebApplication MapVimEndpoints(this WebApplication app)
    {
        var vims = app.MapGroup("/api/v1/vims");
        vims.MapPost("/", RegisterVim);
        vims.MapGet("/", ListVims);
        vims.MapGet("/{id}", GetVim);
        vims.MapPatch("/{id}", PatchVim);
        vims.MapDelete("/{id}", DeleteVim);
        vims.MapPost("/{id}/probe", ProbeVim);
        app.MapPost("/internal/v1/vims/unknown", UnknownVims);
        return app;
    }

    /// <summary>Which of these ids name no registered VIM: one query for ten thousand.</summary>
    static async Task<IResult> UnknownVims(VimCheckRequest request, DistributionDbContext db, CancellationToken cancellationToken)
    {
        var ids = request.VimIds ?? [];
        var known = await db.Vims.Where(v => ids.Contains(v.Id)).Select(v => v.Id).ToListAsync(cancellationToken);
        return Results.Ok(new { unknown = ids.Except(known, StringComparer.Ordinal).ToArray() });
    }

    static async Task<IResult> RegisterVim(
        RegisterVimRequest request, DistributionDbContext db, VimCredentialProtector protector, VimProbeQueue probes, IOptions<DistributionOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (Invalid(request, options.Value) is { } invalid)
        {
            return invalid;
        }

        if (await db.Vims.AnyAsync(v => v.Id == request.Id, cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: $"A VIM with id '{request.Id}' is already registered.");
        }

        var now = clock.GetUtcNow();
        var vim = new Vim { Id = request.Id!, Type = request.Type!, Endpoint = null!, CreatedAt = now };
        Apply(vim, request, protector, now);
        db.Vims.Add(vim);
        await db.SaveChangesAsync(cancellationToken);
        // Its health is unknown until it has answered: probed in the background, the caller does not wait.
        probes.Enqueue(vim.Id);
        return Results.Created($"/api/v1/vims/{vim.Id}", VimResource.From(vim, now));
    }

    const int MaxListLimit = 1000;

    /// <summary>In id order, a page at a time: thousands of VIMs are never one answer.</summary>
    static async Task<IResult> ListVims(
        string? region, string? tag, DistributionDbContext db, TimeProvider clock, CancellationToken cancellationToken, int? limit = null, string? marker = null,
        string? health = null, string? idPrefix = null)
    {
        if (health is not null && VimHealthFilter.ProblemWith(health) is { } unknownHealth)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["health"] = [unknownHealth] }, detail: unknownHealth);
        }

        var pageSize = limit ?? MaxListLimit;
        if (pageSize is < 1 or > MaxListLimit)
        {
            var detail = $"limit is a whole number from 1 to {MaxListLimit}.";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [detail] }, detail: detail);
        }

        // The same criteria a distribution's selector applies: what a search lists is what "all that match" sends to.
        var query = TargetPlan.Selected(db, VimSearch.Selector(idPrefix, region, tag, health));
        if (marker is not null)
        {
            query = query.Where(v => string.Compare(v.Id, marker) > 0);
        }

        var vims = await query.OrderBy(v => v.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var next = vims.Count > pageSize ? vims[pageSize - 1].Id : null;
        return Results.Ok(new VimListResource(vims.Take(pageSize).Select(v => VimResource.From(v, now)).ToList(), next));
    }

    static async Task<IResult> GetVim(string id, DistributionDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var vim = await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        return vim is null ? NotFound(id) : Results.Ok(VimResource.From(vim, clock.GetUtcNow()));
    }

    /// <summary>
    /// A JSON merge patch (RFC 7396) of the registration: absent members stay, null clears an optional member, nested
    /// objects (tls, limits) merge. Credentials are replaced whole or cleared with null; id and type cannot change.
    /// </summary>
    static async Task<IResult> PatchVim(
        string id, HttpRequest http, DistributionDbContext db, VimCredentialProtector protector, VimProbeQueue probes, IOptions<JsonOptions> json,
        IOptions<DistributionOptions> distribution, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        JsonObject? patch;
        try
        {
            patch = await JsonSerializer.DeserializeAsync<JsonNode>(http.Body, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (JsonException exception)
        {
            return Malformed(JsonBodyProblem.Describe(exception));
        }

        if (patch is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed patch", detail: "The body must be a JSON object: a merge patch of the VIM.");
        }

        var vim = await db.Vims.FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (vim is null)
        {
            return NotFound(id);
        }

        var current = JsonSerializer.SerializeToNode(RequestOf(vim), JsonSerializerOptions.Web)!.AsObject();
        foreach (var immutable in new[] { "id", "type" })
        {
            if (patch.TryGetPropertyValue(immutable, out var value) && value?.ToString() != current[immutable]?.ToString())
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { [immutable] = [$"{immutable} cannot change; register a new VIM instead."] },
                    detail: $"{immutable} cannot change; register a new VIM instead.");
            }
        }

        var credentialsPatched = patch.TryGetPropertyValue("credentials", out var credentialsNode);
        patch.Remove("credentials");
        Merge(current, patch);
        // The service's own (strict) options: a member a VIM does not have is refused by name, as on registration.
        var options = json.Value.SerializerOptions;
        RegisterVimRequest merged;
        VimCredentials? credentials;
        try
        {
            merged = current.Deserialize<RegisterVimRequest>(options)!;
        }
        catch (JsonException exception)
        {
            return Malformed(JsonBodyProblem.Describe(exception, typeof(RegisterVimRequest), options));
        }

        try
        {
            credentials = credentialsPatched ? credentialsNode?.Deserialize<VimCredentials>(options) : protector.Unprotect(vim.ProtectedCredentials);
        }
        catch (JsonException exception)
        {
            return Malformed(JsonBodyProblem.Describe(exception, typeof(VimCredentials), options, under: "credentials"));
        }

        merged = merged with { Credentials = credentials };

        if (Invalid(merged, distribution.Value) is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        var reachedBefore = VimAccess.Of(vim);
        Apply(vim, merged, protector, now);
        var reachedAnew = VimAccess.Of(vim) != reachedBefore || credentialsPatched;
        if (reachedAnew)
        {
            VimAccess.ForgetHealth(vim);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (reachedAnew)
        {
            probes.Enqueue(vim.Id);
        }

        return Results.Ok(VimResource.From(vim, now));
    }

    /// <summary>A VIM that a distribution is still working on cannot go; the targets would have nowhere to report.</summary>
    static async Task<IResult> DeleteVim(string id, DistributionDbContext db, CancellationToken cancellationToken)
    {
        var vim = await db.Vims.FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (vim is null)
        {
            return NotFound(id);
        }

        var busy = await db.Targets.CountAsync(t => t.VimId == id && TargetStates.Open.Contains(t.State), cancellationToken);
        if (busy > 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"VIM '{id}' is a target of {busy} unfinished distribution target(s); cancel them or wait for them to finish.");
        }

        db.Vims.Remove(vim);
        await db.SaveChangesAsync(cancellationToken);
        return Results.NoContent();
    }

    /// <summary>Asks the VIM now; a success closes its circuit, a failure is recorded with what was found.</summary>
    static async Task<IResult> ProbeVim(string id, DistributionDbContext db, VimProber prober, TimeProvider clock, CancellationToken cancellationToken)
    {
        var vim = await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (vim is null)
        {
            return NotFound(id);
        }

        var finding = await prober.ProbeAsync(vim, cancellationToken);
        await VimProber.RecordAsync(db, vim, finding, cancellationToken);
        var now = clock.GetUtcNow();
        var probed = await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        return probed is null ? NotFound(id) : Results.Ok(VimResource.From(probed, now).Health);
    }

    static IResult? Invalid(RegisterVimRequest request, DistributionOptions options)
    {
        var errors = VimRequestValidator.Validate(request, options.AllowPrivateVimAddresses, options.PrivateVimNetworks);
        return errors.Count == 0 ? null : Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
    }

    internal static void Apply(Vim vim, RegisterVimRequest request, VimCredentialProtector protector, DateTimeOffset now)
    {
        var endpoint = new Uri(request.Endpoint!);
        // A trailing slash makes relative API paths resolve below the endpoint's own path.
        vim.Endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        vim.IdentityUrl = request.IdentityUrl is null ? null : new Uri(request.IdentityUrl);
        vim.Tenant = request.Tenant;
        vim.Region = request.Region;
        vim.Tags = request.Tags?.Distinct().ToList() ?? [];
        vim.UploadMode = request.UploadMode ?? VimUploadModes.Push;
        vim.ProtectedCredentials = request.Credentials is null ? null : protector.Protect(request.Credentials);
        vim.CaCertificates = request.Tls?.CaCertificates;
        vim.InsecureSkipTlsVerify = request.Tls?.InsecureSkipVerify ?? false;
        vim.MaxConcurrentUploads = request.Limits?.MaxConcurrentUploads ?? 4;
        vim.BandwidthLimitBytesPerSecond = request.Limits?.BandwidthBytesPerSecond;
        vim.UpdatedAt = now;
    }

    static RegisterVimRequest RequestOf(Vim vim) => new()
    {
        Id = vim.Id,
        Type = vim.Type,
        Endpoint = vim.Endpoint.AbsoluteUri,
        IdentityUrl = vim.IdentityUrl?.AbsoluteUri,
        Tenant = vim.Tenant,
        Region = vim.Region,
        Tags = vim.Tags,
        UploadMode = vim.Type == "openstack" ? vim.UploadMode : null,
        Tls = new VimTlsSettings { CaCertificates = vim.CaCertificates, InsecureSkipVerify = vim.InsecureSkipTlsVerify },
        Limits = new VimLimits { MaxConcurrentUploads = vim.MaxConcurrentUploads, BandwidthBytesPerSecond = vim.BandwidthLimitBytesPerSecond },
    };

    static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject nested && target[name] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    static IResult Malformed((string Field, string Reason) problem) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [problem.Field] = [problem.Reason] }, detail: problem.Reason);

    static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "VIM not found", detail: $"There is no VIM with id '{id}'.");
}
