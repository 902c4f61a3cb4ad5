using ImageManager.Distribution.Vims;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>The registration rules of an onap-multicloud VIM: a tenant, and no credentials or basic ones.</summary>
public sealed class MulticloudVimRequestValidatorTests
{
    static readonly RegisterVimRequest Multicloud = new() { Id = "onap_region-1", Type = "onap-multicloud", Endpoint = "http://msb.onap:80/api/multicloud/v0/", Tenant = "t1" };

    [Fact]
    public void When_a_multicloud_vim_has_a_tenant_it_is_accepted_with_or_without_basic_credentials()
    {
        Assert.Empty(VimRequestValidator.Validate(Multicloud));
        Assert.Empty(VimRequestValidator.Validate(Multicloud with { Credentials = new VimCredentials { Username = "onap", Password = "p" } }));
    }

    [Fact]
    public void When_a_multicloud_vim_has_no_tenant_the_tenant_is_named()
    {
        var errors = VimRequestValidator.Validate(Multicloud with { Tenant = null });

        Assert.Contains("required", Assert.Single(errors["tenant"]), StringComparison.Ordinal);
    }

    [Fact]
    public void When_a_multicloud_vim_has_keystone_style_credentials_they_are_refused()
    {
        var errors = VimRequestValidator.Validate(Multicloud with { Credentials = new VimCredentials { ApplicationCredentialId = "a", ApplicationCredentialSecret = "s" } });

        Assert.Contains("basic", Assert.Single(errors["credentials"]), StringComparison.Ordinal);
    }
}
