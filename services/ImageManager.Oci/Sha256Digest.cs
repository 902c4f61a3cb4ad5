using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace ImageManager.Oci;

/// <summary>Digests as OCI writes them, <c>sha256:</c> and 64 lower-case hex digits; the only algorithm Image Manager verifies and pushes.</summary>
public static class Sha256Digest
{
    const string Prefix = "sha256:";

    public static string Of(string hex) => Prefix + hex;

    /// <summary>The digest of a document held in memory (a manifest, a config).</summary>
    public static string Compute(ReadOnlySpan<byte> content) => Of(Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>The hex part of a well-formed sha256 digest.</summary>
    public static bool TryParse([NotNullWhen(true)] string? digest, out string hex)
    {
        hex = digest is not null && digest.StartsWith(Prefix, StringComparison.Ordinal) ? digest[Prefix.Length..] : "";
        return IsHex(hex);
    }

    public static bool IsDigest([NotNullWhen(true)] string? digest) => TryParse(digest, out _);

    public static bool IsHex(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
