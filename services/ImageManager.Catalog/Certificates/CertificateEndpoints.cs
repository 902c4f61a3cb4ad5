using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageManager.Catalog.Persistence;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;
using ImageManager.Contracts.Certificates;

namespace ImageManager.Catalog.Certificates;

/// <summary>The registry of signing certificates that images can name.</summary>
public static class CertificateEndpoints
{
    public static WebApplication MapCertificateEndpoints(this WebApplication app)
    {
        var certificates = app.MapGroup("/api/v1/certificates");
        certificates.MapPost("/", Register);
        certificates.MapGet("/", List);
        certificates.MapGet("/{id:guid}", Get);
        return app;
    }

    static async Task<IResult> Register(RegisterCertificateRequest request, CatalogDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (RequestText.ProblemWithName("name", request.Name) is { } problem)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [problem] }, detail: problem);
        }

        X509Certificate2 parsed;
        try
        {
            parsed = X509Certificate2.CreateFromPem(request.Pem ?? "");
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            const string detail = "pem is required: one certificate in PEM form (-----BEGIN CERTIFICATE-----).";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["pem"] = [detail] }, detail: detail);
        }

        using (parsed)
        {
            var fingerprint = Convert.ToHexStringLower(SHA256.HashData(parsed.RawData));
            var existing = await db.Certificates.AsNoTracking().FirstOrDefaultAsync(c => c.Sha256Fingerprint == fingerprint, cancellationToken);
            if (existing is not null)
            {
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                    detail: $"This certificate is already registered as {existing.Id}.");
            }

            var certificate = new SigningCertificate
            {
                Id = Guid.CreateVersion7(),
                Name = request.Name,
                Pem = parsed.ExportCertificatePem(),
                Subject = parsed.Subject,
                Sha256Fingerprint = fingerprint,
                NotAfter = parsed.NotAfter.ToUniversalTime(),
                CreatedAt = clock.GetUtcNow(),
            };
            db.Certificates.Add(certificate);
            await db.SaveChangesAsync(cancellationToken);
            return Results.Created($"/api/v1/certificates/{certificate.Id}", CertificateResource.From(certificate));
        }
    }

    static async Task<IResult> List(CatalogDbContext db, CancellationToken cancellationToken)
    {
        var certificates = await db.Certificates.AsNoTracking().OrderBy(c => c.CreatedAt).ToListAsync(cancellationToken);
        return Results.Ok(new CertificateListResource(certificates.Select(CertificateResource.From).ToList()));
    }

    static async Task<IResult> Get(Guid id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var certificate = await db.Certificates.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return certificate is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Certificate not found", detail: $"There is no certificate with id {id}.")
            : Results.Ok(CertificateResource.From(certificate));
    }
}
