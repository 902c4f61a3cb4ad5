using System.Buffers.Binary;
using System.Text;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>
/// Writes the structure of an rpm (no rpmbuild on these machines): a 96-byte lead, a signature header padded to 8
/// bytes, a header, and a payload. Each header has one index entry and a small store, all the inspection reads.
/// </summary>
public static class RpmFile
{
    public static byte[] Create(byte[] payload)
    {
        using var rpm = new MemoryStream();
        var lead = new byte[96];
        new byte[] { 0xed, 0xab, 0xee, 0xdb, 3, 0 }.CopyTo(lead, 0);
        Encoding.ASCII.GetBytes("vnf-agent-1.0-1").CopyTo(lead, 10);
        lead[79] = 1; // os: Linux
        lead[81] = 5; // signature type: header-style
        rpm.Write(lead);
        rpm.Write(Header(storeBytes: 20)); // 16 + 16 + 20 = 52 bytes, padded to 56
        rpm.Write(new byte[4]);
        rpm.Write(Header(storeBytes: 16));
        rpm.Write(payload);
        return rpm.ToArray();
    }

    static byte[] Header(int storeBytes)
    {
        var header = new byte[16 + 16 + storeBytes];
        new byte[] { 0x8e, 0xad, 0xe8, 0x01 }.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), (uint)storeBytes);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(16), 1000); // tag: name
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(20), 6); // type: string
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(28), 1); // count
        Encoding.ASCII.GetBytes("vnf-agent").CopyTo(header, 32);
        return header;
    }
}
