namespace ImageManager.ServiceDefaults.DataProtection;

/// <summary>A certificate the key ring was encrypted to before the current one (<c>DataProtection:PreviousCertificates:N</c>).</summary>
public sealed class PreviousKeyRingCertificate
{
    /// <summary>Path of its PKCS#12 file, private key included.</summary>
    public string? Path { get; set; }

    /// <summary>That file's password, when it has one.</summary>
    public string? Password { get; set; }
}
