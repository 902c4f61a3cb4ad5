using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Archives;

/// <summary>
/// The normalised names met so far in one archive, to refuse a name that comes twice (the second entry would silently
/// replace, or be replaced by, the first, so what was checked need not be what is unpacked). Keeps 16 bytes of each name's
/// SHA-256 rather than the name, so memory stays small whatever the names' length.
/// </summary>
public sealed class SeenEntryNames
{
    readonly HashSet<UInt128> _seen = [];

    public void Add(string normalizedName)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalizedName), digest);
        if (!_seen.Add(BinaryPrimitives.ReadUInt128LittleEndian(digest)))
        {
            throw new ArchiveRefusedException($"entry {ReasonText.Quote(normalizedName)} appears more than once");
        }
    }
}
