namespace ImageManager.VimSimulator;

/// <summary>A way for a simulated VIM to fail a request.</summary>
public sealed record Fault(int? StatusCode, bool Timeout, bool Reset)
{
    public static Fault Status(int code) => new(code, false, false);

    /// <summary>The request is never answered (the caller's timeout decides).</summary>
    public static Fault Hang { get; } = new(null, true, false);

    /// <summary>The connection is aborted without an answer.</summary>
    public static Fault ResetConnection { get; } = new(null, false, true);

    /// <summary>What the VIM answers with the status; null for a short text of its own.</summary>
    public byte[]? Body { get; init; }

    public string ContentType { get; init; } = "text/plain; charset=utf-8";

    /// <summary>The status with exactly these bytes as the body (NUL bytes, invalid UTF-8, anything a broken or hostile VIM sends).</summary>
    public static Fault Answering(int code, byte[] body, string contentType) => new(code, false, false) { Body = body, ContentType = contentType };
}
