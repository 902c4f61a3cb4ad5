using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

/// <summary>The status API of distributions.</summary>
public static class DistributionEndpoints
{
    public static WebApplication MapDistributionEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/distributions/{id:guid}", GetDistribution);
        return app;
    }

    static async Task<IResult> GetDistribution(Guid id, DistributionDbContext db, CancellationToken cancellationToken)
    {
        var distribution = await db.Distributions.AsNoTracking().FirstOrDefaultAsync(d => d.CorrelationId == id, cancellationToken);
        return distribution is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Distribution not found",
                detail: $"There is no distribution with id {id}. A distribution appears a moment after it was accepted.")
            : Results.Ok(DistributionResource.From(distribution));
    }
}
