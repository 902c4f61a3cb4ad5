using ImageManager.Distribution.Vims;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>What an oci-registry VIM registration may carry: no credentials, a user and password, or a token; a tenant that is a repository namespace.</summary>
public sealed class OciRegistryRegistrationTests
{
    static RegisterVimRequest Registry(VimCredentials? credentials = null, string? tenant = null) => new()
    {
        Id = "acme_registry-1",
        Type = "oci-registry",
        Endpoint = "https://registry.acme.example/",
        Credentials = credentials,
        Tenant = tenant,
    };

    [Fact]
    public void When_a_registry_is_anonymous_or_has_basic_credentials_or_a_token_it_is_accepted()
    {
        Assert.Empty(VimRequestValidator.Validate(Registry()));
        Assert.Empty(VimRequestValidator.Validate(Registry(new VimCredentials { Username = "robot", Password = "s3cret" })));
        Assert.Empty(VimRequestValidator.Validate(Registry(new VimCredentials { Token = "eyJ..." }, tenant: "edge/site-7")));
    }

    [Theory]
    [InlineData("robot", null, null, null)]
    [InlineData(null, "s3cret", null, null)]
    [InlineData("robot", "s3cret", "eyJ...", null)]
    [InlineData("robot", "s3cret", null, "admin")]
    [InlineData(null, null, null, null)]
    public void When_the_credentials_are_neither_basic_nor_a_token_the_credentials_field_is_named(string? username, string? password, string? token, string? project)
    {
        var errors = VimRequestValidator.Validate(Registry(new VimCredentials { Username = username, Password = password, Token = token, ProjectName = project }));

        Assert.Contains("oci-registry", Assert.Single(errors, e => e.Key == "credentials").Value.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Edge")]
    [InlineData("edge//acme")]
    [InlineData("-edge")]
    public void When_the_tenant_is_not_a_repository_namespace_it_is_named(string tenant)
    {
        var errors = VimRequestValidator.Validate(Registry(tenant: tenant));

        Assert.Contains("namespace", Assert.Single(errors, e => e.Key == "tenant").Value.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void When_an_oci_registry_is_given_keystone_or_an_upload_mode_they_are_refused()
    {
        var errors = VimRequestValidator.Validate(Registry() with { IdentityUrl = "https://keystone.example/v3", UploadMode = "web-download" });

        Assert.Contains("identityUrl", errors.Keys);
        Assert.Contains("uploadMode", errors.Keys);
    }
}
