using ImageManager.Validation.Archives;

namespace ImageManager.Validation.Packages;

/// <summary>
/// Recognises a Helm chart while its tar.gz is walked: every entry under one top-level folder, and that folder holds
/// <c>Chart.yaml</c> (what <c>helm package</c> writes and <c>helm install</c> expects).
/// </summary>
public sealed class HelmChartLayout
{
    const string ChartFile = "Chart.yaml";

    string? _folder;
    bool _notOneFolder;
    bool _hasChartFile;

    public bool IsChart => !_notOneFolder && _hasChartFile;

    public Task AddAsync(ArchiveEntry entry, Stream? content, CancellationToken cancellationToken)
    {
        var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
        var folder = slash < 0 ? entry.Name : entry.Name[..slash];
        if (slash < 0 && entry.Kind != ArchiveEntryKind.Directory)
        {
            _notOneFolder = true; // a file beside the folder
        }
        else if (_folder is null)
        {
            _folder = folder;
        }
        else if (_folder != folder)
        {
            _notOneFolder = true;
        }

        if (entry.Kind == ArchiveEntryKind.File && entry.Name == $"{folder}/{ChartFile}")
        {
            _hasChartFile = true;
        }

        return Task.CompletedTask;
    }
}
