namespace ImageManager.Validation.Scanning;

/// <summary>What clamd said of the bytes: clean, or the name of the signature it found (outside text, not yet sanitised).</summary>
public sealed record ClamdAnswer(string? SignatureName)
{
    public static readonly ClamdAnswer Clean = new((string?)null);

    public bool Found => SignatureName is not null;
}
