namespace ImageManager.Validation.Containers;

/// <summary>Digests as OCI writes them, <c>sha256:</c> and 64 lower-case hex digits; the only algorithm this service verifies.</summary>
public static class Sha256Digest
{
    const string Prefix = "sha256:";

    public static string Of(string hex) => Prefix + hex;

    /// <summary>The hex part of a well-formed sha256 digest.</summary>
    public static bool TryParse(string? digest, out string hex)
    {
        hex = digest is not null && digest.StartsWith(Prefix, StringComparison.Ordinal) ? digest[Prefix.Length..] : "";
        return IsHex(hex);
    }

    public static bool IsHex(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
