using System.Security.Cryptography.X509Certificates;
using ImageManager.Testing;

namespace ImageManager.Topology.Tests;

/// <summary>The installation's key ring certificate (<see cref="KeyRingCertificateFile"/>): made once, kept, readable by its owner only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // its privacy is its file mode
public sealed class KeyRingCertificateFileTests : IDisposable
{
    readonly string _directory = Path.Combine(RepositoryPaths.TestOutput, $"secrets-{Guid.NewGuid():N}");

    [Fact]
    public void When_the_certificate_is_made_twice_the_first_file_stands_0600_with_its_rsa_private_key()
    {
        var path = Path.Combine(_directory, KeyRingCertificateFile.FileName);

        Assert.Equal(path, KeyRingCertificateFile.Ensure(path));
        var first = File.ReadAllBytes(path);
        Assert.Equal(path, KeyRingCertificateFile.Ensure(path));

        Assert.Equal(first, File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.Equal([KeyRingCertificateFile.FileName], Directory.GetFiles(_directory).Select(Path.GetFileName));
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        using var key = certificate.GetRSAPrivateKey();
        Assert.True(key is { KeySize: >= 3072 }, "The certificate has no RSA private key of 3072 bits or more.");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
