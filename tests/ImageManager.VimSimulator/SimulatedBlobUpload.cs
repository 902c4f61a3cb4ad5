using System.Security.Cryptography;

namespace ImageManager.VimSimulator;

/// <summary>An upload session: the repository it is for, and its bytes so far, hashed and counted, not kept.</summary>
public sealed class SimulatedBlobUpload(string repository) : IDisposable
{
    public string Repository { get; } = repository;
    public IncrementalHash Sha256 { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    public long Size { get; set; }

    public void Dispose() => Sha256.Dispose();
}
