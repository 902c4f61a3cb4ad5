using ImageManager.Api.Downstream;
using ImageManager.Contracts.Receipts;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Receipts;

public static class ReceiptEndpoints
{
    public static WebApplication MapReceiptEndpoints(this WebApplication app)
    {
        // Forwarded: the Distribution service keeps the targets and the signing keys, and signs.
        app.MapGet("/api/v1/distributions/{id:guid}/targets/{vimId}/receipt", Forward).RequireAuthorization(CallerRoles.Viewer)
            .WithTags("Receipts").WithName("getTargetReceipt")
            .WithSummary("A receipt signed by Image Manager (compact JWS, ES256, typ image-manager-receipt+jwt) stating that the image (id, SHA-512) was active on the VIM (id, the VIM's image id) from activeAt, as part of this distribution; given for a target that is active (or skipped: the same bytes were already there) for as long as it is. Verify it offline with GET /api/v1/receipts/keys.")
            .Produces<ReceiptResource>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/api/v1/receipts/keys", Forward).RequireAuthorization(CallerRoles.Viewer)
            .WithTags("Receipts").WithName("listReceiptKeys")
            .WithSummary("The public keys that verify receipts, as a JSON Web Key Set (RFC 7517): the signing key and every retired one not revoked, each with when it signed (createdAt, retiredAt); a receipt's kid names its key.")
            .Produces<ReceiptKeySetResource>();
        return app;
    }

    static Task<IResult> Forward(HttpContext http, DistributionClient distribution) => DownstreamForwarder.ForwardAsync(http, distribution.Http, "distribution");
}
