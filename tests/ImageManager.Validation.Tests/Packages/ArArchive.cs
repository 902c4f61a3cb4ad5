using System.Globalization;
using System.Text;

namespace ImageManager.Validation.Tests.Packages;

/// <summary>Writes ar archives the way dpkg-deb does: the magic, then each member behind a 60-byte text header, padded to even.</summary>
public static class ArArchive
{
    public static byte[] Create(params IEnumerable<(string Name, byte[] Content)> members)
    {
        using var archive = new MemoryStream();
        archive.Write("!<arch>\n"u8);
        foreach (var (name, content) in members)
        {
            var header = string.Create(CultureInfo.InvariantCulture,
                $"{name,-16}{0,-12}{0,-6}{0,-6}{"100644",-8}{content.Length,-10}`\n");
            archive.Write(Encoding.ASCII.GetBytes(header));
            archive.Write(content);
            if (content.Length % 2 == 1)
            {
                archive.WriteByte((byte)'\n');
            }
        }

        return archive.ToArray();
    }
}
