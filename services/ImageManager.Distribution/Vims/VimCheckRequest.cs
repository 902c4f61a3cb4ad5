namespace ImageManager.Distribution.Vims;

/// <summary>The Api's question before it accepts a removal: are these VIMs registered?</summary>
public sealed record VimCheckRequest
{
    public IReadOnlyList<string>? VimIds { get; init; }
}
