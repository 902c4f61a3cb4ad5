using ImageManager.ServiceDefaults.Budgets;

namespace ImageManager.Distribution.Budgets;

/// <summary>
/// <c>POST /internal/v1/transfer-budgets</c>: an Api replica's pulls in flight in, the counts elsewhere, the caps of
/// the VIMs pulling and the uplink's budget out (the Api has no database, and the budgets are kept here).
/// </summary>
public static class TransferBudgetEndpoints
{
    const int MaxVims = 10_000;

    public static WebApplication MapTransferBudgetEndpoints(this WebApplication app)
    {
        app.MapPost("/internal/v1/transfer-budgets", ExchangeAsync);
        return app;
    }

    static async Task<IResult> ExchangeAsync(TransferBudgetReport report, TransferBudgets budgets, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(report.Reporter) || report.Reporter.Length > 128)
        {
            return Problem("reporter", "reporter names the reporting process in 1 to 128 characters.");
        }

        if (report.Transfers.Count > MaxVims || report.Transfers.Any(t => t.Key.Length > 128 || t.Value < 0))
        {
            return Problem("transfers", $"transfers maps at most {MaxVims} VIM ids (up to 128 characters) to counts of 0 or more.");
        }

        return Results.Ok(await budgets.ExchangeForAsync(report, cancellationToken));
    }

    static IResult Problem(string field, string detail) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail: detail);
}
