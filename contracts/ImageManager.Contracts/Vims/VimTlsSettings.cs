namespace ImageManager.Contracts.Vims;

/// <summary>How a VIM's TLS certificate is checked: against <see cref="CaCertificates"/> (PEM) when given, the machine's store otherwise.</summary>
public sealed record VimTlsSettings
{
    public string? CaCertificates { get; init; }

    /// <summary>No certificate check at all; only when asked for explicitly.</summary>
    public bool InsecureSkipVerify { get; init; }
}
