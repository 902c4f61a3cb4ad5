using ImageManager.Api.Downstream;

namespace ImageManager.Api.Certificates;

public static class CertificateEndpoints
{
    public static WebApplication MapCertificateEndpoints(this WebApplication app)
    {
        var certificates = app.MapGroup("/api/v1/certificates").WithTags("Certificates");
        certificates.MapPost("/", Forward).WithSummary("Register a signing certificate (PEM) that images can name as signature.certificateId.")
            .Produces(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        certificates.MapGet("/", Forward).WithSummary("List registered signing certificates.");
        certificates.MapGet("/{id:guid}", Forward).WithSummary("Show a registered signing certificate.").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue");
}
