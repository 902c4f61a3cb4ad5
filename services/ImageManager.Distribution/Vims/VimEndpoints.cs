using System.Text.RegularExpressions;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Vims;

/// <summary>The VIM registry's HTTP API.</summary>
public static partial class VimEndpoints
{
    /// <summary>VIM types that have a driver in this version.</summary>
    public static readonly string[] SupportedTypes = ["openstack"];

    public static WebApplication MapVimEndpoints(this WebApplication app)
    {
        var vims = app.MapGroup("/api/v1/vims");
        vims.MapPost("/", RegisterVim);
        vims.MapGet("/", ListVims);
        vims.MapGet("/{id}", GetVim);
        app.MapPost("/internal/v1/vims/unknown", UnknownVims);
        return app;
    }

    /// <summary>Which of these ids name no registered VIM: one query for a distribution's ten thousand targets.</summary>
    static async Task<IResult> UnknownVims(string[] ids, DistributionDbContext db, CancellationToken cancellationToken)
    {
        var known = await db.Vims.Where(v => ids.Contains(v.Id)).Select(v => v.Id).ToListAsync(cancellationToken);
        return Results.Ok(ids.Except(known, StringComparer.Ordinal).ToArray());
    }

    static async Task<IResult> RegisterVim(RegisterVimRequest request, DistributionDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Id is null || !VimId().IsMatch(request.Id))
        {
            errors["id"] = ["id is required: 1 to 128 letters, digits, '.', '_' or '-', ONAP style {cloud-owner}_{cloud-region-id}."];
        }

        if (request.Type is null || !SupportedTypes.Contains(request.Type))
        {
            errors["type"] = [$"type '{request.Type}' is not supported: one of {string.Join(", ", SupportedTypes)}."];
        }

        if (!Uri.TryCreate(request.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            errors["endpoint"] = ["endpoint is required: an absolute http or https URL."];
        }

        if (request.Tags?.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 64) == true)
        {
            errors["tags"] = ["tags are non-empty and at most 64 characters each."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        if (await db.Vims.AnyAsync(v => v.Id == request.Id, cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: $"A VIM with id '{request.Id}' is already registered.");
        }

        var now = clock.GetUtcNow();
        var vim = new Vim
        {
            Id = request.Id!,
            Type = request.Type!,
            // A trailing slash makes relative API paths resolve below the endpoint's own path.
            Endpoint = endpoint!.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/"),
            Region = request.Region,
            Tags = request.Tags?.Distinct().ToList() ?? [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Vims.Add(vim);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Created($"/api/v1/vims/{vim.Id}", VimResource.From(vim));
    }

    static async Task<IResult> ListVims(DistributionDbContext db, CancellationToken cancellationToken)
    {
        var vims = await db.Vims.AsNoTracking().OrderBy(v => v.Id).ToListAsync(cancellationToken);
        return Results.Ok(new { vims = vims.Select(VimResource.From) });
    }

    static async Task<IResult> GetVim(string id, DistributionDbContext db, CancellationToken cancellationToken)
    {
        var vim = await db.Vims.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
        return vim is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "VIM not found", detail: $"There is no VIM with id '{id}'.")
            : Results.Ok(VimResource.From(vim));
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex VimId();
}
