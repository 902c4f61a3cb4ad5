using System.Text.Json.Nodes;
using ImageManager.Contracts.Images;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Oci;
using ImageManager.Distribution.Images;
using ImageManager.Oci;
using ImageManager.Testing;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The driver contract against the real OCI distribution registry (Debian's docker-registry 2.8): without auth and with
/// htpasswd basic auth (both from <c>infra/infra.sh</c>), and with token auth behind a token service (<see cref="TokenAuthRegistry"/>).
/// </summary>
public sealed class OciRegistryDriverOnRealRegistryTests(TokenAuthRegistry tokenRegistry) : OciRegistryDriverContract, IClassFixture<TokenAuthRegistry>
{
    protected override Uri Registry => Infrastructure.Registry;

    protected override (Uri Endpoint, string Username, string Password) BasicAuthRegistry =>
        (Infrastructure.RegistryAuth, Infrastructure.RegistryAuthUser, Infrastructure.RegistryAuthPassword);

    protected override (Uri Endpoint, string Username, string Password, Func<long> TokensIssued) BearerRegistry =>
        (tokenRegistry.Endpoint, TokenAuthRegistry.Username, TokenAuthRegistry.Password, () => tokenRegistry.TokensIssued);

    /// <summary>On the real registry only: the simulator keeps blobs' sizes, not their bytes, and the chart's config is read back here.</summary>
    [Fact]
    public async Task When_a_helm_chart_is_pushed_it_is_an_oci_artifact_under_its_chart_name_tagged_with_its_version()
    {
        var chartName = $"vnf-chart-{Guid.NewGuid():N}"[..20];
        var chart = TestHelmChart.Package(chartName, "0.3.1+build.2", description: "A chart: for tests");
        var image = new DistributableImage
        {
            Id = Guid.NewGuid(),
            Name = "catalogue name",
            Version = "ignored",
            Kind = ImageKinds.SoftwarePackage,
            DetectedType = OciRegistryDriver.HelmChartType,
            SizeBytes = chart.Bytes.Length,
            Sha256 = chart.Sha256,
            Sha512 = chart.Sha512,
        };
        var upload = new VimUpload(Connection(Registry, tenant: "charts"), image, Guid.NewGuid().ToString(), () => new MemoryStream(chart.Bytes), () => Task.CompletedTask, new RecordingCopyClaims());
        using var reader = new HttpClient();

        var result = await Driver.EnsurePresentAsync(upload, CancellationToken.None);
        var again = await Driver.EnsurePresentAsync(upload, CancellationToken.None);

        var (repository, digest) = OciNames.ParseImageId(result.VimImageId)!.Value;
        Assert.Equal($"charts/{chartName}", repository);
        var (served, mediaType, body) = await ReadManifestAsync(Registry, repository, "0.3.1_build.2");
        Assert.Equal((digest, OciMediaTypes.OciManifest), (served, mediaType));
        var manifest = JsonNode.Parse(body)!;
        Assert.Equal(OciMediaTypes.HelmConfig, manifest["config"]!["mediaType"]!.GetValue<string>());
        var layer = manifest["layers"]!.AsArray().Single()!;
        Assert.Equal((OciMediaTypes.HelmChartContent, $"sha256:{chart.Sha256}", (long)chart.Bytes.Length),
            (layer["mediaType"]!.GetValue<string>(), layer["digest"]!.GetValue<string>(), layer["size"]!.GetValue<long>()));
        var config = JsonNode.Parse(await reader.GetByteArrayAsync(new Uri(Registry, $"v2/{repository}/blobs/{manifest["config"]!["digest"]}")))!;
        Assert.Equal((chartName, "0.3.1+build.2", "v2", "A chart: for tests", false, "e2e"),
            (config["name"]!.GetValue<string>(), config["version"]!.GetValue<string>(), config["apiVersion"]!.GetValue<string>(),
                config["description"]!.GetValue<string>(), config["deprecated"]!.GetValue<bool>(), config["maintainers"]![0]!["name"]!.GetValue<string>()));
        Assert.Equal(chart.Bytes, await reader.GetByteArrayAsync(new Uri(Registry, $"v2/{repository}/blobs/sha256:{chart.Sha256}")));
        Assert.Equal((true, result.VimImageId), (again.AlreadyPresent, again.VimImageId));
    }
}
