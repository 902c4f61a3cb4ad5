namespace ImageManager.Distribution.Drivers.Keystone;

/// <summary>
/// The token of one VIM for one version of its identity URL and credentials (<see cref="Fingerprint"/>): a patched
/// credential makes a new session, so the token of the old one is never used again. <see cref="Gate"/> lets one caller
/// log in while the others wait for its token.
/// </summary>
sealed class KeystoneSession(string fingerprint)
{
    public string Fingerprint { get; } = fingerprint;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>A field, for <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/>: only the token a caller saw refused is forgotten.</summary>
    public KeystoneToken? Token;
}
