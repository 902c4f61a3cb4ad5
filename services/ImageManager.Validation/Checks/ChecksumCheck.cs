using System.Security.Cryptography;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Re-reads the stored blob and computes SHA-256 and SHA-512: the blob must still be what the Api stored (its
/// address, and its SHA-512 when the upload measured one), and what the uploader declared. Digests are compared in
/// constant time. The SHA-512 measured here is the image's, from then on.
/// </summary>
public sealed class ChecksumCheck(IBlobStore blobs)
{
    const int BufferSize = 1024 * 1024;

    public async Task<ChecksumVerdict> RunAsync(ImageUploaded upload, CancellationToken cancellationToken)
    {
        await using var content = await blobs.OpenReadAsync(upload.Sha256, cancellationToken);
        if (content is null)
        {
            return ChecksumVerdict.Fail($"The uploaded bytes (sha256 {upload.Sha256}) are missing from the blob store.");
        }

        var measured = await StreamDigests.ComputeAsync(content, destination: null, BufferSize, cancellationToken);
        var (actual256, actual512, length) = (measured.Sha256, measured.Sha512, measured.Length);

        if (length != upload.SizeBytes || !Same(actual256, upload.Sha256) || (upload.Sha512 is { } stored512 && !Same(actual512!, stored512)))
        {
            return ChecksumVerdict.Fail(
                $"The stored bytes changed after upload: expected {upload.SizeBytes} bytes with sha256 {upload.Sha256}, " +
                $"found {length} bytes with sha256 {actual256}.");
        }

        if (upload.DeclaredSha256 is { } declared256 && !Same(actual256, declared256))
        {
            return ChecksumVerdict.Fail($"Declared sha256 does not match the uploaded bytes: expected {declared256.ToLowerInvariant()}, actual {actual256}.");
        }

        if (upload.DeclaredSha512 is { } declared512 && !Same(actual512!, declared512))
        {
            return ChecksumVerdict.Fail($"Declared sha512 does not match the uploaded bytes: expected {declared512.ToLowerInvariant()}, actual {actual512}.");
        }

        if (upload.DeclaredMd5 is { } declaredMd5)
        {
            // Legacy: a second read, only for the images that declare it.
            content.Position = 0;
#pragma warning disable CA5351 // MD5 is compared because vendors publish it, never trusted alone: SHA-256/512 are always checked too
            var actualMd5 = Convert.ToHexStringLower(await MD5.HashDataAsync(content, cancellationToken));
#pragma warning restore CA5351
            if (!Same(actualMd5, declaredMd5))
            {
                return ChecksumVerdict.Fail($"Declared md5 does not match the uploaded bytes: expected {declaredMd5.ToLowerInvariant()}, actual {actualMd5}.");
            }
        }

        return ChecksumVerdict.Pass(actual512!);
    }

    static bool Same(string actualHex, string expectedHex)
    {
        var expected = expectedHex.ToLowerInvariant();
        return actualHex.Length == expected.Length &&
               CryptographicOperations.FixedTimeEquals(
                   System.Text.Encoding.ASCII.GetBytes(actualHex),
                   System.Text.Encoding.ASCII.GetBytes(expected));
    }
}
