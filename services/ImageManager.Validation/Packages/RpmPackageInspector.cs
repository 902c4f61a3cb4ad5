using ImageManager.Validation.Archives;
using ImageManager.Validation.Formats;

namespace ImageManager.Validation.Packages;

/// <summary>
/// An rpm is a lead and two headers (<see cref="RpmPackageLayout"/>), then the payload: a cpio archive, compressed with
/// gzip, xz, zstd or bzip2, or not at all. The payload is walked with the archive rules as a deb's data tar is: it unpacks
/// into <c>/</c>, so its names (<c>./usr/bin/x</c>) are relative to it and its symbolic links may point anywhere.
/// </summary>
public sealed class RpmPackageInspector(ArchiveReader archives)
{
    /// <summary>Why the rpm is refused, or null.</summary>
    public async Task<string?> FindProblemAsync(Stream content, CancellationToken cancellationToken)
    {
        var (problem, payloadOffset) = RpmPackageLayout.Read(new HeaderReader(content));
        if (problem is not null)
        {
            return problem;
        }

        var payload = new SliceStream(content, payloadOffset, content.Length - payloadOffset);
        var reading = await archives.ReadAsync(payload, ArchiveFormat.Cpio, handler: null, SymbolicLinkRule.MayPointAnywhere, cancellationToken);
        return reading.Problem is { } payloadProblem ? $"in its payload, {payloadProblem}" : null;
    }
}
