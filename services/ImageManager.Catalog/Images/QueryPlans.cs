using ImageManager.Catalog.Locations;
using ImageManager.Catalog.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>
/// <c>/internal/v1/explain/images?…</c> and <c>/internal/v1/explain/vims/{vimId}/images</c>: MariaDB's EXPLAIN of the
/// very SQL a list request runs (EF Core's text of it, parameters included), so that the indexes a query uses are
/// shown, not assumed. For operators and the benchmark; the Api does not forward <c>/internal</c>.
/// </summary>
public static class QueryPlans
{
    public static WebApplication MapQueryPlanEndpoints(this WebApplication app)
    {
        app.MapGet("/internal/v1/explain/images", ExplainListAsync);
        app.MapGet("/internal/v1/explain/vims/{vimId}/images", ExplainOnVimAsync);
        return app;
    }

    static async Task<IResult> ExplainListAsync(HttpContext http, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ImageListQuery.Parse(http.Request.Query, out var errors) is not { } query)
        {
            return Results.ValidationProblem(errors);
        }

        return Results.Ok(await ExplainAsync(db, (await ImageListing.PageQueryAsync(db, query, caller: null, clock, cancellationToken)).ToQueryString(), cancellationToken));
    }

    static async Task<IResult> ExplainOnVimAsync(string vimId, CatalogDbContext db, CancellationToken cancellationToken, int limit = ImageListQuery.DefaultLimit, Guid? marker = null) =>
        Results.Ok(await ExplainAsync(db, ImageLocations.OnVimQuery(db, vimId, limit, marker, state: null).ToQueryString(), cancellationToken));

    /// <summary>Runs the <c>SET @p = …;</c> lines EF Core writes before the statement, then EXPLAIN of the statement, on one connection.</summary>
    static async Task<object> ExplainAsync(CatalogDbContext db, string sql, CancellationToken cancellationToken)
    {
        var statementStart = sql.IndexOf("SELECT", StringComparison.Ordinal);
        var parameters = sql[..statementStart];
        var statement = sql[statementStart..];
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (!string.IsNullOrWhiteSpace(parameters))
            {
                await using var set = connection.CreateCommand();
                set.CommandText = parameters;
                await set.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN " + statement;
            await using var reader = await explain.ExecuteReaderAsync(cancellationToken);
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
            }

            return new { sql = statement, plan = rows };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
