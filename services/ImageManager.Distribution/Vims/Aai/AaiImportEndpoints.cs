namespace ImageManager.Distribution.Vims.Aai;

/// <summary><c>POST /api/v1/vims/imports/aai</c>: one import from A&amp;AI now, answered with its report.</summary>
public static class AaiImportEndpoints
{
    public static WebApplication MapAaiImportEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/vims/imports/aai", ImportAsync);
        return app;
    }

    static async Task<IResult> ImportAsync(AaiImport import, CancellationToken cancellationToken)
    {
        if (!import.Configured)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No A&AI configured",
                detail: "This installation names no A&AI (Aai:BaseUrl); VIMs are imported from A&AI once it does.");
        }

        try
        {
            return Results.Ok(await import.RunAsync(cancellationToken));
        }
        catch (AaiUnavailableException exception)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "A&AI could not be read", detail: $"{exception.Message} Nothing was imported.");
        }
    }
}
