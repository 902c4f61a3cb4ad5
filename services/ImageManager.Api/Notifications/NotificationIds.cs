using System.Security.Cryptography;
using System.Text;

namespace ImageManager.Api.Notifications;

/// <summary>
/// Ids of notifications made from a batch of changes: derived from what they say, so that a batch the broker hands over
/// again (or the Distribution service records again after a crash) gives the same ids, and subscribers can drop the
/// repeat. A UUID of version 8 (RFC 9562, custom) from SHA-256: .NET has no name-based UUIDs, and v5's SHA-1 is not needed.
/// </summary>
public static class NotificationIds
{
    public static Guid Of(string content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(content), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
