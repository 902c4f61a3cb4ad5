using ImageManager.Distribution.Vims;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>The registration rules of an OpenStack VIM with Keystone: identity URL, credentials and endpoint.</summary>
public sealed class VimRequestValidatorTests
{
    static readonly VimCredentials Password = new() { Username = "u", Password = "p", ProjectName = "proj" };

    static RegisterVimRequest Keystone(string? identityUrl = "https://keystone.example:5000/v3", VimCredentials? credentials = null, string? endpoint = "https://glance.example:9292") => new()
    {
        Id = "owner_region",
        Type = "openstack",
        Endpoint = endpoint,
        IdentityUrl = identityUrl,
        Credentials = credentials ?? Password,
    };

    [Theory]
    [InlineData("https://keystone.example:5000/v3")]
    [InlineData("https://cloud.example/identity/v3/")]
    public void When_a_keystone_v3_url_comes_with_a_password_or_an_application_credential_it_is_accepted(string identityUrl)
    {
        Assert.Empty(VimRequestValidator.Validate(Keystone(identityUrl)));
        Assert.Empty(VimRequestValidator.Validate(Keystone(identityUrl, new VimCredentials { ApplicationCredentialId = "id", ApplicationCredentialSecret = "s" })));
    }

    [Theory]
    [InlineData("https://keystone.example:5000")]
    [InlineData("https://keystone.example:5000/v2.0")]
    [InlineData("ftp://keystone.example/v3")]
    public void When_the_identity_url_is_not_keystone_v3_it_is_refused_saying_so(string identityUrl)
    {
        var errors = VimRequestValidator.Validate(Keystone(identityUrl));

        Assert.Contains("ending in /v3", Assert.Single(errors["identityUrl"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("endpoint", "https://admin:secret@glance.example:9292", null)]
    [InlineData("endpoint", "https://admin@glance.example:9292", null)]
    [InlineData("identityUrl", "https://glance.example:9292", "https://admin:secret@keystone.example:5000/v3")]
    public void When_a_vim_url_carries_a_user_name_or_password_it_is_refused_naming_the_field_without_repeating_it(string field, string endpoint, string? identityUrl)
    {
        var errors = VimRequestValidator.Validate(Keystone(identityUrl ?? "https://keystone.example:5000/v3", endpoint: endpoint));

        var reason = Assert.Single(errors[field]);
        Assert.Contains("user name or password", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", reason, StringComparison.Ordinal);
        Assert.Single(errors);
    }

    [Fact]
    public void When_keystone_credentials_are_incomplete_they_are_refused_naming_what_keystone_takes()
    {
        var errors = VimRequestValidator.Validate(Keystone(credentials: new VimCredentials { Username = "u", Password = "p" }));

        Assert.Contains("projectName", Assert.Single(errors["credentials"]), StringComparison.Ordinal);
    }

    [Fact]
    public void When_a_keystone_vim_has_no_endpoint_the_reason_says_what_the_endpoint_is_for()
    {
        var errors = VimRequestValidator.Validate(Keystone(endpoint: null));

        Assert.Contains("catalog", Assert.Single(errors["endpoint"]), StringComparison.Ordinal);
    }
}
