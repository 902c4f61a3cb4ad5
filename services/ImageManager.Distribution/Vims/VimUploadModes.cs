namespace ImageManager.Distribution.Vims;

/// <summary>How an OpenStack VIM receives the bytes of an image.</summary>
public static class VimUploadModes
{
    /// <summary><c>PUT /v2/images/{id}/file</c>: we send the bytes.</summary>
    public const string Push = "push";

    /// <summary>Glance's interoperable import with <c>web-download</c>: the VIM pulls from our download URL.</summary>
    public const string WebDownload = "web-download";

    public static readonly string[] All = [Push, WebDownload];
}
