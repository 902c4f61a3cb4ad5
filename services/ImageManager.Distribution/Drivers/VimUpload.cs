using ImageManager.Distribution.Persistence;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// One upload of one image to one VIM. <see cref="VimImageId"/> is chosen by us and stable across retries, so a
/// retry finds the image an earlier attempt created instead of creating a second one. <see cref="DownloadUrl"/> is
/// where a VIM that pulls (Glance web-download) fetches the bytes from us. <see cref="OpenContent"/> reads at the VIM's
/// bandwidth cap; <see cref="OpenStoredContent"/>, when given, reads the stored bytes without it, for a driver that reads
/// more than it sends (the OCI driver plans from the whole archive, then sends only the blobs the registry lacks and
/// paces those itself).
/// </summary>
public sealed record VimUpload(
    VimConnection Connection,
    DistributableImage Image,
    string VimImageId,
    Func<Stream> OpenContent,
    Func<Task> OnVerifying,
    Uri? DownloadUrl = null,
    Func<Stream>? OpenStoredContent = null);
