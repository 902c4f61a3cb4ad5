using System.Security.Cryptography.X509Certificates;
using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Tests.Budgets;
using ImageManager.Distribution.Vims;
using ImageManager.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// Per-VIM TLS as <see cref="VimConnector"/> sets it up, against simulated VIMs serving HTTPS with certificates of a test
/// CA that this machine does not trust: the VIM's CA bundle makes them trusted, the insecure flag skips the checks, and
/// nothing makes a certificate for another host name acceptable. Keystone is reached with the same settings.
/// </summary>
public sealed class VimTlsTests : IAsyncLifetime
{
    readonly TestAuthority _authority = new("VIM TLS Test CA");
    readonly VimConnector _connector = new(new VimCredentialProtector(new EphemeralDataProtectionProvider()), Options.Create(new DistributionOptions { AllowPrivateVimAddresses = true }), TimeProvider.System, UnsharedBudgets.Create());
    readonly GlanceDriver _driver = new(new KeystoneTokenCache(TimeProvider.System));
    VimSimulator.VimSimulator _vims = null!;
    VimSimulator.VimSimulator _misnamed = null!;
    X509Certificate2 _certificate = null!;
    X509Certificate2 _misnamedCertificate = null!;

    public async Task InitializeAsync()
    {
        _certificate = _authority.IssueTlsServer("127.0.0.1", "localhost");
        _misnamedCertificate = _authority.IssueTlsServer("vim.example.net");
        _vims = await VimSimulator.VimSimulator.StartAsync(certificate: _certificate);
        _misnamed = await VimSimulator.VimSimulator.StartAsync(certificate: _misnamedCertificate);
    }

    string CaBundle => _authority.Certificate.ExportCertificatePem();

    [Fact]
    public async Task When_a_vims_ca_bundle_trusts_its_certificate_the_upload_goes_over_tls()
    {
        var result = await _driver.EnsurePresentAsync(Upload(new Vim { Id = "tls_trusted", Type = "openstack", Endpoint = _vims.EndpointOf("tls_trusted"), CaCertificates = CaBundle }), CancellationToken.None);

        Assert.Equal(1, _vims.UploadsTo("tls_trusted"));
        Assert.Equal(4_096, result.BytesSent);
    }

    [Fact]
    public async Task When_the_vim_has_no_ca_bundle_the_machines_roots_do_not_trust_it_and_the_upload_is_rejected_as_untrusted()
    {
        var error = await Assert.ThrowsAsync<VimRejectedException>(() =>
            _driver.EnsurePresentAsync(Upload(new Vim { Id = "tls_untrusted", Type = "openstack", Endpoint = _vims.EndpointOf("tls_untrusted") }), CancellationToken.None));

        Assert.Contains("certificate is not trusted", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Glance at {_vims.Address.GetLeftPart(UriPartial.Authority)}", error.Message, StringComparison.Ordinal);
        Assert.Empty(_vims.ImagesOf("tls_untrusted"));
    }

    [Fact]
    public async Task When_a_vim_is_marked_insecure_the_upload_goes_without_certificate_checks()
    {
        await _driver.EnsurePresentAsync(Upload(new Vim { Id = "tls_insecure", Type = "openstack", Endpoint = _vims.EndpointOf("tls_insecure"), InsecureSkipTlsVerify = true }), CancellationToken.None);

        Assert.Equal(1, _vims.UploadsTo("tls_insecure"));
    }

    [Fact]
    public async Task When_the_certificate_is_for_another_host_name_the_ca_bundle_does_not_make_it_acceptable()
    {
        var error = await Assert.ThrowsAsync<VimRejectedException>(() =>
            _driver.EnsurePresentAsync(Upload(new Vim { Id = "tls_misnamed", Type = "openstack", Endpoint = _misnamed.EndpointOf("tls_misnamed"), CaCertificates = CaBundle }), CancellationToken.None));

        Assert.Contains("not valid for the host name '127.0.0.1'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_misnamed.ImagesOf("tls_misnamed"));
    }

    [Fact]
    public async Task When_a_vim_is_behind_keystone_its_tls_settings_apply_to_keystone_too()
    {
        _vims.Keystone.AddUser("tls-user", "tls-password", "tls-project");
        _vims.Keystone.AddImageEndpoint("RegionOne", _vims.EndpointOf("tls_keystone"));
        _vims.RequireKeystone("tls_keystone");
        var credentials = new VimCredentials { Username = "tls-user", Password = "tls-password", ProjectName = "tls-project" };
        Vim KeystoneVim(string? ca) => new() { Id = $"tls_keystone_{ca is null}", Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/"), IdentityUrl = _vims.Keystone.IdentityUrl, CaCertificates = ca };

        await _driver.ProbeAsync(Connect(KeystoneVim(CaBundle), credentials), CancellationToken.None);
        var error = await Assert.ThrowsAsync<VimRejectedException>(() => _driver.ProbeAsync(Connect(KeystoneVim(null), credentials), CancellationToken.None));

        Assert.Contains("TLS with Keystone at", error.Message, StringComparison.Ordinal);
        Assert.Contains("certificate is not trusted", error.Message, StringComparison.Ordinal);
    }

    VimConnection Connect(Vim vim, VimCredentials credentials) => _connector.Connect(vim) with { Credentials = credentials };

    VimUpload Upload(Vim vim)
    {
        var image = DriverTestImage.Random(4_096);
        return new VimUpload(_connector.Connect(vim), image.Image, Guid.NewGuid().ToString(), image.Open, () => Task.CompletedTask, new RecordingCopyClaims());
    }

    public async Task DisposeAsync()
    {
        await _vims.DisposeAsync();
        await _misnamed.DisposeAsync();
        _connector.Dispose();
        _certificate.Dispose();
        _misnamedCertificate.Dispose();
        _authority.Dispose();
    }
}
