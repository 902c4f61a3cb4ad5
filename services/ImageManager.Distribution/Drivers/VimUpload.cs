using ImageManager.Distribution.Persistence;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// One upload of one image to one VIM. <see cref="VimImageId"/> is chosen by us and stable across retries, so a
/// retry finds the image an earlier attempt created instead of creating a second one.
/// </summary>
public sealed record VimUpload(
    Vim Vim,
    DistributableImage Image,
    string VimImageId,
    Func<Stream> OpenContent,
    Func<Task> OnVerifying);
