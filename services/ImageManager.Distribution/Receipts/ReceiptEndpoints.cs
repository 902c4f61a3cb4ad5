using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Receipts;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Persistence;
using ImageManager.ServiceDefaults.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageManager.Distribution.Receipts;

/// <summary>
/// Signed receipts: Image Manager's statement, verifiable offline, that an image (by id and SHA-512) was active on a VIM
/// (by id and the VIM's own image id) from a given time, as part of a given distribution. Signed when asked for, from the
/// target's record, with the key that signs now; the public keys are published at <c>/api/v1/receipts/keys</c>.
/// </summary>
public static class ReceiptEndpoints
{
    /// <summary>The JWS <c>typ</c> of a receipt, so that no other token of the installation can pass for one.</summary>
    public const string TokenType = "image-manager-receipt+jwt";

    static readonly string[] ReceiptStates = [TargetStates.Active, TargetStates.Skipped];

    public static WebApplication MapReceiptEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/distributions/{id:guid}/targets/{vimId}/receipt", GetReceipt);
        app.MapGet("/api/v1/receipts/keys", (ReceiptKeyRing keys, CancellationToken cancellationToken) => keys.PublishedAsync(cancellationToken));
        return app;
    }

    static async Task<IResult> GetReceipt(
        Guid id, string vimId, HttpRequest request, DistributionDbContext db, ReceiptKeyRing keys, IOptions<ReceiptOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var distribution = await db.Distributions.AsNoTracking().VisibleTo(ForwardedCaller.From(request)).Where(d => d.CorrelationId == id)
            .Select(d => new { d.ImageId, d.Kind }).FirstOrDefaultAsync(cancellationToken);
        var target = distribution is null ? null
            : await db.Targets.AsNoTracking().FirstOrDefaultAsync(t => t.DistributionId == id && t.VimId == vimId, cancellationToken);
        if (distribution is null || target is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound,
                detail: distribution is null ? $"There is no distribution {id}." : $"Distribution {id} has no target on VIM '{vimId}'.");
        }

        var sha512 = await db.Images.AsNoTracking().Where(i => i.Id == distribution.ImageId).Select(i => i.Sha512).FirstOrDefaultAsync(cancellationToken);
        if (distribution.Kind != DistributionKinds.Distribution || !ReceiptStates.Contains(target.State) || target.VimImageId is null || sha512 is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict,
                detail: $"The target on VIM '{vimId}' of {distribution.Kind} {id} is '{target.State}': a receipt is given only for a target of a distribution " +
                    "that is active (or skipped: the same bytes were already there), for as long as it is.");
        }

        var issuedAt = clock.GetUtcNow();
        var receipt = new ReceiptResource
        {
            Receipt = "",
            KeyId = "",
            DistributionId = id,
            ImageId = distribution.ImageId,
            Sha512 = sha512,
            VimId = target.VimId,
            VimImageId = target.VimImageId,
            TargetState = target.State,
            ActiveAt = target.UpdatedAt,
            IssuedAt = issuedAt,
        };
        var key = await keys.SigningKeyAsync(cancellationToken);
        try
        {
            return Results.Ok(receipt with { Receipt = Sign(receipt, key, options.Value.Issuer), KeyId = key.KeyId });
        }
        finally
        {
            key.ECDsa.Dispose();
        }
    }

    static string Sign(ReceiptResource receipt, ECDsaSecurityKey key, string issuer)
    {
        // No expiry: a receipt states a past fact; the handler would otherwise add an hour's exp and nbf.
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            IssuedAt = receipt.IssuedAt.UtcDateTime,
            TokenType = TokenType,
            SigningCredentials = new SigningCredentials(key, ReceiptKeyRing.Algorithm),
            Claims = new Dictionary<string, object>
            {
                ["jti"] = $"{receipt.DistributionId}/{receipt.VimId}",
                ["distributionId"] = receipt.DistributionId.ToString(),
                ["imageId"] = receipt.ImageId.ToString(),
                ["sha512"] = receipt.Sha512,
                ["vimId"] = receipt.VimId,
                ["vimImageId"] = receipt.VimImageId,
                ["targetState"] = receipt.TargetState,
                ["activeAt"] = receipt.ActiveAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
        });
    }
}
