using System.Globalization;
using System.Text;
using ImageManager.Validation.Archives;
using ImageManager.Validation.Formats;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Packages;

/// <summary>
/// A deb is an ar archive: <c>debian-binary</c> ("2.0"), then <c>control.tar*</c> and <c>data.tar*</c>. Checks the ar
/// structure (every member inside the file, so truncation shows) and walks the control and data tars with the archive
/// rules, plain or compressed with gzip, xz, zstd or bzip2. Data unpacks into <c>/</c>, so its symbolic links may point
/// anywhere; hard links, names and limits follow the usual rules. Members compressed with lzma (legacy, rare) are not
/// inspected: no decoder here reads the lzma-alone format.
/// </summary>
public sealed class DebPackageInspector(ArchiveReader archives, IOptions<ArchiveSafetyOptions> options)
{
    public static ReadOnlySpan<byte> ArMagic => "!<arch>\n"u8;

    const int MemberHeaderSize = 60;
    const string VersionMember = "debian-binary";
    const string ControlMember = "control.tar";
    const string DataMember = "data.tar";
    const string UninspectedCompression = ".lzma";

    /// <summary>Whether the bytes are an ar archive whose first member is <c>debian-binary</c>.</summary>
    public static bool StartsLikeDeb(HeaderReader file)
    {
        var header = new byte[MemberHeaderSize];
        return file.TryReadExactly(ArMagic.Length, header) && NameOf(header) == VersionMember;
    }

    /// <summary>Why the deb is refused, or null.</summary>
    public async Task<string?> FindProblemAsync(Stream content, CancellationToken cancellationToken)
    {
        var file = new HeaderReader(content);
        var members = new List<ArMember>();
        if (ReadMembers(file, members) is { } structureProblem)
        {
            return structureProblem;
        }

        if (members is not [{ Name: VersionMember } version, ..] || !StartsWithVersion2(file, version))
        {
            return "its debian-binary member does not say format 2.x";
        }

        foreach (var prefix in new[] { ControlMember, DataMember })
        {
            var member = members.FirstOrDefault(member => member.Name.StartsWith(prefix, StringComparison.Ordinal));
            if (member is null)
            {
                return $"it has no {prefix} member";
            }

            if (await FindMemberProblemAsync(content, member, prefix, cancellationToken) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    async Task<string?> FindMemberProblemAsync(Stream content, ArMember member, string prefix, CancellationToken cancellationToken)
    {
        var compression = member.Name[prefix.Length..];
        ArchiveFormat? format = compression switch
        {
            "" => ArchiveFormat.Tar,
            ".gz" => ArchiveFormat.GzipTar,
            ".xz" => ArchiveFormat.XzTar,
            ".zst" => ArchiveFormat.ZstdTar,
            ".bz2" => ArchiveFormat.Bzip2Tar,
            _ => null,
        };
        if (format is null)
        {
            return compression == UninspectedCompression ? null : $"its member {ReasonText.Quote(member.Name)} uses a compression dpkg does not know";
        }

        var links = prefix == DataMember ? SymbolicLinkRule.MayPointAnywhere : SymbolicLinkRule.MustStayInside;
        var reading = await archives.ReadAsync(new SliceStream(content, member.Offset, member.Size), format.Value, handler: null, links, cancellationToken);
        return reading.Problem is { } problem ? $"in its {member.Name}, {problem}" : null;
    }

    string? ReadMembers(HeaderReader file, List<ArMember> members)
    {
        var header = new byte[MemberHeaderSize];
        var offset = (long)ArMagic.Length;
        while (offset < file.Length)
        {
            var read = file.ReadAt(offset, header);
            if (read == 1 && header[0] == (byte)'\n')
            {
                break; // the padding byte after an odd-sized last member
            }

            if (read < MemberHeaderSize)
            {
                return $"it is truncated: the ar member header at offset {offset} is cut off by the end of the file";
            }

            if (header[58] != (byte)'`' || header[59] != (byte)'\n' ||
                !long.TryParse(Encoding.ASCII.GetString(header, 48, 10).TrimEnd(' '), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return $"it is corrupt: the ar member header at offset {offset} is not one";
            }

            var member = new ArMember(NameOf(header), offset + MemberHeaderSize, size);
            if (member.Offset + size > file.Length)
            {
                return $"it is truncated: member {ReasonText.Quote(member.Name)} needs {size} bytes from offset {member.Offset}, but the file ends at {file.Length}";
            }

            if (members.Count == options.Value.MaxEntries)
            {
                return $"it has more than {options.Value.MaxEntries} ar members";
            }

            members.Add(member);
            offset = member.Offset + size + (size & 1);
        }

        return null;
    }

    static bool StartsWithVersion2(HeaderReader file, ArMember member)
    {
        var version = new byte[2];
        return member.Size >= version.Length && file.TryReadExactly(member.Offset, version) && version.AsSpan().SequenceEqual("2."u8);
    }

    /// <summary>The member name: 16 bytes padded with spaces; GNU ar ends it with a slash.</summary>
    static string NameOf(byte[] header) => Encoding.ASCII.GetString(header, 0, 16).TrimEnd(' ').TrimEnd('/');
}
