using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>
/// Writes the structure of an rpm (no rpmbuild on these machines): a 96-byte lead, a signature header padded to 8
/// bytes, a header, and a payload. Each header has one index entry and a small store, all the inspection reads. The
/// payload is a cpio archive written the way rpm writes it (<c>Cpio</c>), then compressed or not.
/// </summary>
public static class RpmFile
{
    public const string NewAsciiMagic = "070701";
    public const string CrcMagic = "070702";
    public const int RegularFileMode = 0x8000 | 0x1a4; // 0100644
    public const int DirectoryMode = 0x4000 | 0x1ed; // 040755
    public const int SymbolicLinkMode = 0xa000 | 0x1ff; // 0120777
    public const int CharacterDeviceMode = 0x2000 | 0x1b6; // 020666

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

    public static (string Name, int Mode, byte[] Data) CpioFile(string name, string text) => (name, RegularFileMode, Encoding.UTF8.GetBytes(text));

    public static (string Name, int Mode, byte[] Data) CpioFile(string name, byte[] content) => (name, RegularFileMode, content);

    public static (string Name, int Mode, byte[] Data) CpioFolder(string name) => (name, DirectoryMode, []);

    /// <summary>cpio keeps a symbolic link's target as its data.</summary>
    public static (string Name, int Mode, byte[] Data) CpioSymbolicLink(string name, string target) => (name, SymbolicLinkMode, Encoding.UTF8.GetBytes(target));

    public static (string Name, int Mode, byte[] Data) CpioCharacterDevice(string name) => (name, CharacterDeviceMode, []);

    /// <summary>A cpio archive in the new ASCII format (or the crc format, whose headers carry the sum of each file's bytes), ended by TRAILER!!!.</summary>
    public static byte[] Cpio(params IEnumerable<(string Name, int Mode, byte[] Data)> entries) => Cpio(NewAsciiMagic, entries);

    public static byte[] Cpio(string magic, IEnumerable<(string Name, int Mode, byte[] Data)> entries)
    {
        using var cpio = new MemoryStream();
        var inode = 1;
        foreach (var (name, mode, data) in entries.Append(("TRAILER!!!", 0, [])))
        {
            var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
            var check = magic == CrcMagic ? data.Aggregate(0u, (sum, b) => sum + b) : 0u;
            cpio.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{magic}{inode++:x8}{mode:x8}{0:x8}{0:x8}{1:x8}{1700000000:x8}{data.Length:x8}{8:x8}{1:x8}{0:x8}{0:x8}{nameBytes.Length:x8}{check:x8}")));
            cpio.Write(nameBytes);
            PadToFour(cpio);
            cpio.Write(data);
            PadToFour(cpio);
        }

        return cpio.ToArray();
    }

    static void PadToFour(MemoryStream stream)
    {
        while (stream.Length % 4 != 0)
        {
            stream.WriteByte(0);
        }
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
