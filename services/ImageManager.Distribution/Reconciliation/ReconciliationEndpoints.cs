using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Reconciliation;

/// <summary>
/// <c>POST /internal/v1/reconciliation/run</c>: one pass now (waiting for a running one to finish first), answering what
/// it checked, found drifted and could not check. For operators and tests; the Api does not forward <c>/internal</c>.
/// <c>?repair=true|false</c> overrides <see cref="ReconciliationOptions.Repair"/> for this pass; <c>?imageId=</c> checks
/// that image's pairs only, leaving the scheduled passes' cursor where it is.
/// </summary>
public static class ReconciliationEndpoints
{
    public static WebApplication MapReconciliationEndpoints(this WebApplication app)
    {
        app.MapPost("/internal/v1/reconciliation/run", RunAsync);
        return app;
    }

    static async Task<IResult> RunAsync(ReconciliationPass pass, IOptions<ReconciliationOptions> options, CancellationToken cancellationToken, bool? repair = null, Guid? imageId = null) =>
        Results.Ok(await pass.RunAsync(repair ?? options.Value.Repair, imageId, waitForOtherPass: true, cancellationToken));
}
