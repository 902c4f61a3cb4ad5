using ImageManager.Api.Downstream;
using ImageManager.ServiceDefaults.Access;
using ImageManager.Contracts.Certificates;

namespace ImageManager.Api.Certificates;

public static class CertificateEndpoints
{
    public static WebApplication MapCertificateEndpoints(this WebApplication app)
    {
        var certificates = app.MapGroup("/api/v1/certificates").WithTags("Certificates");
        certificates.MapPost("/", Forward).RequireAuthorization(CallerRoles.Admin).WithName("registerCertificate")
            .WithSummary("Register a signing certificate (PEM) that images can name as signature.certificateId.")
            .Accepts<RegisterCertificateRequest>("application/json").Produces<CertificateResource>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        certificates.MapGet("/", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("listCertificates").WithSummary("List registered signing certificates.")
            .Produces<CertificateListResource>();
        certificates.MapGet("/{id:guid}", Forward).RequireAuthorization(CallerRoles.Viewer).WithName("getCertificate").WithSummary("Show a registered signing certificate.")
            .Produces<CertificateResource>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue");
}
