using ImageManager.Distribution.Images;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// One upload of one image to one VIM. <see cref="VimImageId"/> is chosen by us and stable across retries, so a
/// retry finds the image an earlier attempt created instead of creating a second one. <see cref="DownloadUrl"/> is
/// where a VIM that pulls (Glance web-download) fetches the bytes from us. The VIM's bandwidth cap is applied by its
/// connection (<see cref="Budgets.BudgetHandler"/>) to what is sent, not to what is read here. <see cref="Copies"/> is asked
/// before the image comes to rely on any copy on the VIM, ours or found.
/// </summary>
public sealed record VimUpload(
    VimConnection Connection,
    DistributableImage Image,
    string VimImageId,
    Func<Stream> OpenContent,
    Func<Task> OnVerifying,
    IVimCopyClaims Copies,
    Uri? DownloadUrl = null);
