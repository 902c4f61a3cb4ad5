using System.Text;

namespace ImageManager.Validation.Tests.Archives;

/// <summary>
/// A raw 512-byte ustar header, for the tars no writer makes on purpose: metadata announcing a size it does not have,
/// a pax size record overriding the header's own.
/// </summary>
public static class TarHeaderBlock
{
    public const int Size = 512;

    public static byte[] Create(string name, char type, long size)
    {
        var header = new byte[Size];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        var checksum = header.Sum(b => (int)b);
        Encoding.ASCII.GetBytes(Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    /// <summary>Data padded to whole blocks.</summary>
    public static byte[] Padded(byte[] data) => [.. data, .. new byte[(Size - (data.Length % Size)) % Size]];

    /// <summary>A pax record, <c>"length key=value\n"</c>, whose length counts itself.</summary>
    public static string PaxRecord(string key, string value)
    {
        var body = $" {key}={value}\n";
        var length = body.Length + 1;
        while ($"{length}{body}".Length != length)
        {
            length++;
        }

        return $"{length}{body}";
    }
}
