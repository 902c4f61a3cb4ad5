namespace ImageManager.Validation.Archives;

/// <summary>
/// Recognises a tar by its first header block: the ustar magic at 257 (POSIX and GNU), or, for old v7 tars that carry
/// no magic, a header checksum that adds up. Looking only for the magic would let a v7 tar pass as an opaque binary,
/// unchecked, though every tar tool unpacks it.
/// </summary>
public static class TarHeaderSignature
{
    public const int BlockSize = 512;
    const int MagicOffset = 257;
    const int ChecksumOffset = 148;
    const int ChecksumLength = 8;

    public static bool IsTarHeader(ReadOnlySpan<byte> block)
    {
        if (block.Length < BlockSize || block[0] == 0)
        {
            return false;
        }

        if (block[MagicOffset..].StartsWith("ustar"u8))
        {
            return true;
        }

        var stored = ParseOctal(block.Slice(ChecksumOffset, ChecksumLength));
        if (stored is null)
        {
            return false;
        }

        long sum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            sum += i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? ' ' : block[i];
        }

        return sum == stored;
    }

    static long? ParseOctal(ReadOnlySpan<byte> field)
    {
        long value = 0;
        var digits = 0;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (digits > 0)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
            {
                return null;
            }

            value = (value * 8) + (b - '0');
            digits++;
        }

        return digits == 0 ? null : value;
    }
}
