using ImageManager.Contracts.Vims;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Vims;
using ImageManager.Distribution.Vims.Aai;
using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.Distribution.Tests.Vims.Aai;

/// <summary>What registration an A&amp;AI cloud region makes, field by field, from regions shaped as A&amp;AI serves them.</summary>
public sealed class AaiRegionMappingTests
{
    static JsonObject Region(string serviceUrl = "https://keystone.example.net:5000/v3", IReadOnlyDictionary<string, JsonNode?>? esr = null) =>
        AaiSimulator.CloudRegion("att-aic", "dallas-1", new Uri(serviceUrl), "onap", "s3cret", esr);

    [Theory]
    [InlineData("https://keystone.example.net:5000/v3", "https://keystone.example.net:5000/v3")]
    [InlineData("https://keystone.example.net:5000/v3/", "https://keystone.example.net:5000/v3")]
    [InlineData("https://keystone.example.net:5000", "https://keystone.example.net:5000/v3")]
    [InlineData("http://10.0.0.7/identity", "http://10.0.0.7/identity/v3")]
    public void When_the_service_url_is_keystone_it_becomes_the_v3_identity_url(string serviceUrl, string identityUrl)
    {
        var (registration, skipped) = AaiRegionMapping.Map(Region(serviceUrl), existing: null, new DistributionOptions { AllowPrivateVimAddresses = true });

        Assert.Null(skipped);
        Assert.Equal(("att-aic_dallas-1", "openstack", identityUrl, "dallas-1"), (registration!.Id, registration.Type, registration.IdentityUrl, registration.Region));
        Assert.Equal(["aai"], registration.Tags);
    }

    [Fact]
    public void When_keystone_is_at_a_private_address_the_region_is_skipped_unless_private_addresses_are_allowed()
    {
        var (registration, skipped) = AaiRegionMapping.Map(Region("http://10.0.0.7/identity"), existing: null);

        Assert.Null(registration);
        Assert.Contains("10.0.0.7", skipped, StringComparison.Ordinal);
    }

    [Fact]
    public void When_keystone_is_v2_the_region_is_skipped_saying_so()
    {
        var (registration, skipped) = AaiRegionMapping.Map(Region("https://keystone.example.net:5000/v2.0"), existing: null);

        Assert.Null(registration);
        Assert.Contains("v2.0", skipped, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_esr_names_a_domain_a_project_an_openstack_region_and_a_ca_they_are_the_vims()
    {
        var pem = TestAuthority.Shared.Certificate.ExportCertificatePem();
        var (registration, _) = AaiRegionMapping.Map(Region(esr: new Dictionary<string, JsonNode?>
        {
            ["cloud-domain"] = "onap-domain",
            ["default-tenant"] = "images",
            ["openstack-region-id"] = "RegionOne",
            ["ssl-cacert"] = pem,
            ["ssl-insecure"] = true,
        }), existing: null);

        Assert.Equal(new VimCredentials { Username = "onap", Password = "s3cret", UserDomain = "onap-domain", ProjectName = "images", ProjectDomain = "onap-domain" }, registration!.Credentials);
        Assert.Equal("RegionOne", registration.Region);
        Assert.Equal(new VimTlsSettings { CaCertificates = pem, InsecureSkipVerify = false }, registration.Tls);
    }

    [Fact]
    public void When_the_esr_says_ssl_insecure_without_a_ca_certificate_checks_are_off()
    {
        var (registration, _) = AaiRegionMapping.Map(Region(esr: new Dictionary<string, JsonNode?> { ["ssl-insecure"] = "true" }), existing: null);

        Assert.True(registration!.Tls!.InsecureSkipVerify);
    }

    [Fact]
    public void When_a_region_has_several_esr_system_infos_the_one_of_system_type_vim_is_read()
    {
        var region = Region();
        var systems = region["esr-system-info-list"]!["esr-system-info"]!.AsArray();
        var vim = systems[0]!.DeepClone();
        systems.Clear();
        systems.Add(new JsonObject { ["esr-system-info-id"] = "ems-1", ["system-type"] = "ems-resource", ["service-url"] = "https://ems.example.net/", ["type"] = "ems" });
        systems.Add(vim);

        var (registration, skipped) = AaiRegionMapping.Map(region, existing: null);

        Assert.Null(skipped);
        Assert.Equal("https://keystone.example.net:5000/v3", registration!.IdentityUrl);
    }

    [Theory]
    [InlineData("type", "kubernetes", "kubernetes")]
    [InlineData("default-tenant", null, "default-tenant")]
    [InlineData("password", null, "password")]
    [InlineData("service-url", "not a url", "service-url")]
    public void When_the_esr_lacks_what_a_vim_needs_the_region_is_skipped_naming_it(string member, string? value, string named)
    {
        var (registration, skipped) = AaiRegionMapping.Map(Region(esr: new Dictionary<string, JsonNode?> { [member] = value }), existing: null);

        Assert.Null(registration);
        Assert.Contains(named, skipped, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_ids_make_no_valid_vim_id_the_rule_broken_is_named()
    {
        var (registration, skipped) = AaiRegionMapping.Map(AaiSimulator.CloudRegion("att aic", "dallas 1", new Uri("https://keystone.example.net/v3"), "onap", "s3cret"), existing: null);

        Assert.Null(registration);
        Assert.Contains("id:", skipped, StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_vim_exists_what_aai_does_not_hold_is_kept()
    {
        var existing = new Vim
        {
            Id = "att-aic_dallas-1",
            Type = "openstack",
            Endpoint = new Uri("https://old.example.net/"),
            Tenant = "kept-tenant",
            Tags = ["aai", "canary"],
            UploadMode = VimUploadModes.WebDownload,
            MaxConcurrentUploads = 12,
            BandwidthLimitBytesPerSecond = 2_000_000,
        };

        var (registration, _) = AaiRegionMapping.Map(Region(), existing);

        Assert.Equal(("kept-tenant", VimUploadModes.WebDownload, 12, 2_000_000L), (registration!.Tenant, registration.UploadMode, registration.Limits!.MaxConcurrentUploads!.Value, registration.Limits.BandwidthBytesPerSecond!.Value));
        Assert.Equal(["aai", "canary"], registration.Tags);
    }
}
