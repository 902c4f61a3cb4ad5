using System.Globalization;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Formats;

/// <summary>
/// Decides what the bytes of a VM image really are, whatever was declared, the way Glance's format inspector does:
/// every format's signature is looked for, bytes that carry none are raw, and bytes that carry two are refused (an
/// ISO whose system area holds a qcow2 header is an ISO to one reader and a qcow2 with a backing file to another).
/// Then the found format's own checks, the limits on the virtual size, and the declared format.
/// </summary>
public sealed class DiskImageInspector(IOptions<FormatInspectionOptions> options)
{
    static readonly IFormatInspector[] Inspectors =
        [new Qcow2Inspector(), new VhdxInspector(), new VmdkInspector(), new VdiInspector(), new VhdInspector(), new IsoInspector()];

    readonly FormatInspectionOptions _options = options.Value;

    public FormatInspection Inspect(HeaderReader image, string? declaredFormat)
    {
        var found = Inspectors
            .Select(inspector => (Inspector: inspector, Offset: inspector.FindSignature(image)))
            .Where(match => match.Offset is not null)
            .Select(match => (match.Inspector, Offset: match.Offset!.Value))
            .ToList();

        var inspection = found switch
        {
            [] => new FormatInspection(DiskFormatNames.Raw, image.Length, []),
            [var only] => only.Inspector.Inspect(image),
            _ => Ambiguous(found),
        };

        var problems = inspection.Problems.ToList();
        if (inspection.VirtualSizeBytes is { } virtualSize)
        {
            CheckVirtualSize(virtualSize, image.Length, problems);
        }

        if (found.Count <= 1)
        {
            CheckDeclaredFormat(declaredFormat, inspection.Format, problems);
        }

        return inspection with { Problems = problems };
    }

    static FormatInspection Ambiguous(List<(IFormatInspector Inspector, long Offset)> found)
    {
        var iso = found.FirstOrDefault(match => match.Inspector.Format == DiskFormatNames.Iso).Inspector;
        if (iso is null)
        {
            var formats = string.Join(" and ", found.Select(match => $"{match.Inspector.Format} (at offset {match.Offset})"));
            return new FormatInspection(found[0].Inspector.Format, null, [$"the bytes carry the signatures of more than one format, {formats}; an image must be exactly one"]);
        }

        var problems = found
            .Where(match => match.Inspector != iso)
            .Select(match => match.Offset < IsoInspector.SystemAreaSize
                ? $"the bytes are an ISO whose system area holds a {match.Inspector.Format} header (at offset {match.Offset})"
                : $"the bytes are an ISO that also carries a {match.Inspector.Format} signature (at offset {match.Offset})")
            .ToList();
        return new FormatInspection(DiskFormatNames.Iso, null, problems);
    }

    void CheckVirtualSize(long virtualSize, long fileSize, List<string> problems)
    {
        if (virtualSize > _options.MaxVirtualSizeBytes)
        {
            problems.Add($"the virtual size of {ReasonText.Size(virtualSize)} is above the limit of {ReasonText.Size(_options.MaxVirtualSizeBytes)}");
        }

        var ratio = (double)virtualSize / Math.Max(fileSize, 1);
        if (ratio > _options.MaxVirtualToFileSizeRatio)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"the virtual size of {ReasonText.Size(virtualSize)} is {ratio:N0} times the file size of {ReasonText.Size(fileSize)}, more than the allowed {_options.MaxVirtualToFileSizeRatio:N0} times"));
        }
    }

    static void CheckDeclaredFormat(string? declared, string detected, List<string> problems)
    {
        if (string.IsNullOrEmpty(declared))
        {
            problems.Add($"no disk format was declared; the bytes are {DiskFormatNames.Describe(detected)}");
        }
        else if (!string.Equals(declared, detected, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"declared {declared} but the bytes are {DiskFormatNames.Describe(detected)}");
        }
    }
}
