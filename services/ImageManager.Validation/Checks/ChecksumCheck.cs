using System.Buffers;
using System.Security.Cryptography;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;

namespace ImageManager.Validation.Checks;

/// <summary>
/// Re-reads the stored blob and recomputes SHA-256 and SHA-512: the blob must still be what the Api stored, and
/// what the uploader declared. Digests are compared in constant time.
/// </summary>
public sealed class ChecksumCheck(IBlobStore blobs)
{
    const int BufferSize = 1024 * 1024;

    public async Task<ChecksumVerdict> RunAsync(ImageUploaded upload, CancellationToken cancellationToken)
    {
        await using var content = blobs.OpenRead(upload.Sha256);
        if (content is null)
        {
            return ChecksumVerdict.Fail($"The uploaded bytes (sha256 {upload.Sha256}) are missing from the blob store.");
        }

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long length = 0;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                sha512.AppendData(buffer, 0, read);
                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var actual256 = Convert.ToHexStringLower(sha256.GetHashAndReset());
        var actual512 = Convert.ToHexStringLower(sha512.GetHashAndReset());

        if (length != upload.SizeBytes || !Same(actual256, upload.Sha256) || !Same(actual512, upload.Sha512))
        {
            return ChecksumVerdict.Fail(
                $"The stored bytes changed after upload: expected {upload.SizeBytes} bytes with sha256 {upload.Sha256}, " +
                $"found {length} bytes with sha256 {actual256}.");
        }

        if (upload.DeclaredSha256 is { } declared256 && !Same(actual256, declared256))
        {
            return ChecksumVerdict.Fail($"Declared sha256 does not match the uploaded bytes: expected {declared256.ToLowerInvariant()}, actual {actual256}.");
        }

        if (upload.DeclaredSha512 is { } declared512 && !Same(actual512, declared512))
        {
            return ChecksumVerdict.Fail($"Declared sha512 does not match the uploaded bytes: expected {declared512.ToLowerInvariant()}, actual {actual512}.");
        }

        return ChecksumVerdict.Pass;
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
