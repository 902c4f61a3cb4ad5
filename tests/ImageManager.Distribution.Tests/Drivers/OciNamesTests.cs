using ImageManager.Distribution.Drivers.Oci;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>Catalogue names and versions become repository names and tags that fit the distribution spec's grammar.</summary>
public sealed class OciNamesTests
{
    [Theory]
    [InlineData("VNF Agent", null, "vnf-agent")]
    [InlineData("acme/Firewall_5G", null, "acme/firewall_5g")]
    [InlineData("a..b//c___d", null, "a-b/c-d")]
    [InlineData("--edge--", "tenant", "tenant/edge")]
    [InlineData("+++", null, "image")]
    [InlineData("vfw", "edge/acme", "edge/acme/vfw")]
    public void When_a_name_and_a_tenant_are_given_a_valid_repository_under_the_tenant_is_made_from_them(string name, string? tenant, string repository)
    {
        Assert.Equal(repository, OciNames.Repository(name, tenant));
        Assert.True(OciNames.IsRepository(repository));
    }

    [Fact]
    public void When_a_name_is_too_long_it_is_cut_and_told_apart_by_a_hash()
    {
        var first = OciNames.Repository(new string('a', 300) + "1", null);
        var second = OciNames.Repository(new string('a', 300) + "2", null);

        Assert.NotEqual(first, second);
        Assert.All(new[] { first, second }, repository => Assert.True(repository.Length <= OciNames.MaxRepositoryLength && OciNames.IsRepository(repository)));
    }

    [Theory]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData("1.0+build.7", "1.0_build.7")]
    [InlineData(".hidden", "_.hidden")]
    [InlineData("-rc1", "_-rc1")]
    [InlineData("", "_")]
    public void When_a_version_is_given_a_valid_tag_is_made_from_it(string version, string tag)
    {
        Assert.Equal(tag, OciNames.Tag(version));
        Assert.True(OciNames.IsTag(tag));
    }

    [Fact]
    public void When_an_image_id_is_parsed_those_made_here_are_read_back_and_others_refused()
    {
        var digest = $"sha256:{new string('0', 64)}";

        Assert.Equal(("edge/vfw", digest), OciNames.ParseImageId(OciNames.ImageId("edge/vfw", digest)));
        Assert.Null(OciNames.ParseImageId("5f3c9e0a-0000-0000-0000-000000000000"));
        Assert.Null(OciNames.ParseImageId($"Edge@{digest}"));
    }
}
