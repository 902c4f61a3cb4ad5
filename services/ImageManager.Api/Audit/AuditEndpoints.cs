using ImageManager.Api.Downstream;
using ImageManager.ServiceDefaults.Access;
using ImageManager.Contracts.Audit;

namespace ImageManager.Api.Audit;

public static class AuditEndpoints
{
    public static WebApplication MapAuditEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/audit", (HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue"))
            .WithTags("Audit").WithName("listAuditRecords")
            .RequireAuthorization(CallerRoles.Admin)
            .WithSummary("The audit trail, newest first: who changed what, when, from where, and the outcome. Filters caller, tenant, action, resourceId, outcome, since, until; paged with limit (1 to 1000) and marker.")
            .Produces<AuditPageResource>().ProducesValidationProblem();
        return app;
    }
}
