using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImageManager.Topology;

/// <summary>
/// The certificate the Distribution's and the Notifications' Data Protection key rings are encrypted to
/// (<c>DataProtection:Certificate</c>): a self-signed RSA certificate with its private key in a PKCS#12 file, made once
/// and kept, because keys encrypted to it are readable with it only. It is configuration, kept apart from the databases
/// and their backups, like the installation's other secrets.
/// </summary>
public static class KeyRingCertificateFile
{
    /// <summary>The file name the installation keeps it under, in <c>.local/secrets/</c> and beside the environment files.</summary>
    public const string FileName = "data-protection.pfx";

    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Makes the file at <paramref name="path"/> (0600) unless it is there already; returns its path.</summary>
    public static string Ensure(string path)
    {
        if (new FileInfo(path) is { Exists: true, Length: > 0 })
        {
            return path;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnly | UnixFileMode.UserExecute);
            }
        }

        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Image Manager Data Protection key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true));
        // Data Protection does not look at the validity period when it encrypts or decrypts; a long one says the same.
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(50));
        var bytes = certificate.Export(X509ContentType.Pkcs12);

        // Written beside, 0600 from its first byte, then renamed: a reader never sees half a file, and of two makers at once the first wins.
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var file = new FileStream(partial, options))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, path, overwrite: false);
        }
        catch (IOException) when (new FileInfo(path) is { Exists: true, Length: > 0 })
        {
            // Made meanwhile by another start: that one stands.
        }
        finally
        {
            File.Delete(partial);
        }

        return path;
    }
}
