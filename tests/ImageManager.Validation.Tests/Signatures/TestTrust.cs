using ImageManager.Validation.Signatures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Signatures;

/// <summary>The trust store and what is built on it, over a trust-store folder, as the service wires them.</summary>
public static class TestTrust
{
    public static TrustStore Store(string folder, TimeProvider? clock = null) =>
        new(Options.Create(new SignatureOptions { TrustStore = folder }), clock ?? TimeProvider.System, NullLogger<TrustStore>.Instance);

    public static CertificateTrust Certificates(string folder, TimeProvider? clock = null) => new(Store(folder, clock), clock ?? TimeProvider.System);

    public static SignatureVerifier Verifier(string folder) => new(Certificates(folder));
}
