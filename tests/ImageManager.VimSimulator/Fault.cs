namespace ImageManager.VimSimulator;

/// <summary>A way for a simulated VIM to fail a request.</summary>
public sealed record Fault(int? StatusCode, bool Timeout, bool Reset)
{
    public static Fault Status(int code) => new(code, false, false);

    /// <summary>The request is never answered (the caller's timeout decides).</summary>
    public static Fault Hang { get; } = new(null, true, false);

    /// <summary>The connection is aborted without an answer.</summary>
    public static Fault ResetConnection { get; } = new(null, false, true);
}
