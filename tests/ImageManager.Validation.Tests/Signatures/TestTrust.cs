using ImageManager.Validation.Signatures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Signatures;

/// <summary>The trust store and what is built on it, over a trust-store folder, as the service wires them.</summary>
public static class TestTrust
{
    public static TrustStore Store(string folder, TimeProvider? clock = null) =>
        new(Options.Create(new SignatureOptions { TrustStore = folder }), clock ?? TimeProvider.System, NullLogger<TrustStore>.Instance);

    /// <summary>The certificate trust over a folder; OCSP as <paramref name="ocsp"/> says (off by default), its client as long-lived as the test process.</summary>
    public static CertificateTrust Certificates(string folder, TimeProvider? clock = null, OcspOptions? ocsp = null)
    {
        var options = Options.Create(ocsp ?? new OcspOptions());
        var time = clock ?? TimeProvider.System;
        return new(Store(folder, clock), new OcspResponderClient(options, time), options, time, NullLogger<CertificateTrust>.Instance);
    }

    public static SignatureVerifier Verifier(string folder, OcspOptions? ocsp = null) => new(Certificates(folder, ocsp: ocsp));
}
