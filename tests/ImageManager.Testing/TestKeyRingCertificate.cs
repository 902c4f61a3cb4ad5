using System.Security.Cryptography.X509Certificates;
using ImageManager.Topology;
using Microsoft.Extensions.Configuration;

namespace ImageManager.Testing;

/// <summary>
/// A key ring certificate made for one test or fixture as the installation makes its own (<see cref="KeyRingCertificateFile"/>),
/// under the test output, apart from any data; removed with it.
/// </summary>
public sealed class TestKeyRingCertificate : IDisposable
{
    /// <summary>The PKCS#12 file (<c>DataProtection:Certificate</c>).</summary>
    public string Path { get; } = KeyRingCertificateFile.Ensure(System.IO.Path.Combine(RepositoryPaths.TestOutput, $"keyring-{Guid.NewGuid():N}.pfx"));

    /// <summary>A service's settings with this certificate as <c>DataProtection:Certificate</c>, and <paramref name="more"/>.</summary>
    public IConfiguration Settings(params (string Key, string Value)[] more) => new ConfigurationBuilder()
        .AddInMemoryCollection(more.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)).Prepend(new("DataProtection:Certificate", Path)))
        .Build();

    /// <summary>The certificate's DER bytes, as what is encrypted to it names it.</summary>
    public byte[] RawData()
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path, null);
        return certificate.RawData;
    }

    public void Dispose() => File.Delete(Path);
}
