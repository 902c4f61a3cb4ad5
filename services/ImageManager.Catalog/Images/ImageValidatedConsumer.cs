using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Images;

/// <summary>
/// validating → active, keeping what Validation found: the malware scan's verdict and the signer's certificate (so that
/// a later trust store change can withdraw the trust of what it signed). Text from the certificate is the vendor's: sanitised.
/// </summary>
public sealed class ImageValidatedConsumer(CatalogDbContext db) : IConsumer<ImageValidated>
{
    public async Task Consume(ConsumeContext<ImageValidated> context)
    {
        var message = context.Message;
        var signer = message.SignedBy;
        await db.Images
            .Where(i => i.Id == message.ImageId && i.Status == ImageStatuses.Validating)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(i => i.Status, ImageStatuses.Active)
                    .SetProperty(i => i.UpdatedAt, message.ValidatedAt)
                    .SetProperty(i => i.ValidatedAt, message.ValidatedAt)
                    .SetProperty(i => i.Sha512, message.Sha512)
                    .SetProperty(i => i.DetectedType, message.DetectedType)
                    .SetProperty(i => i.VirtualSizeBytes, message.VirtualSizeBytes)
                    .SetProperty(i => i.MalwareScan, OutsideText.Sanitise(message.MalwareScan, 32))
                    .SetProperty(i => i.SignerSubject, OutsideText.Sanitise(signer == null ? null : signer.Subject, 1024))
                    .SetProperty(i => i.SignerIssuer, OutsideText.Sanitise(signer == null ? null : signer.Issuer, 1024))
                    .SetProperty(i => i.SignerSerialNumber, OutsideText.Sanitise(signer == null ? null : signer.SerialNumber, 128))
                    .SetProperty(i => i.SignerSha256Fingerprint, OutsideText.Sanitise(signer == null ? null : signer.Sha256Fingerprint, 64))
                    .SetProperty(i => i.SignerNotAfter, signer == null ? null : signer.NotAfter)
                    .SetProperty(i => i.SignerAuthoritySha256Fingerprint, OutsideText.Sanitise(signer == null ? null : signer.AuthoritySha256Fingerprint, 64))
                    .SetProperty(i => i.SignerCertificatePem, signer == null ? null : signer.CertificatePem)
                    .SetProperty(i => i.Revision, i => i.Revision + 1),
                context.CancellationToken);
    }
}
