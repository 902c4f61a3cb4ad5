using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Distribution.Images;
using ImageManager.Oci;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// A Helm chart (.tgz) as <c>helm push</c> stores it: an OCI image manifest whose config is the chart's metadata
/// (Chart.yaml as JSON, <see cref="OciMediaTypes.HelmConfig"/>) and whose one layer is the .tgz byte for byte
/// (<see cref="OciMediaTypes.HelmChartContent"/>), in the repository named after the chart, tagged with its version; so
/// <c>helm pull oci://registry/{tenant}/{chart} --version {version}</c> finds it. Validation has proved the archive is a
/// chart (one folder holding Chart.yaml); only Chart.yaml is read here.
/// </summary>
public static class HelmChartArtifact
{
    /// <summary>Chart.yaml is a few hundred bytes; a bound, since it is held in memory.</summary>
    const int MaxChartYamlBytes = 1 << 20;

    const string ConfigPath = "config.json";
    const string ChartPath = "chart.tgz";

    public static async Task<OciArtifact> ReadAsync(Func<Stream> open, DistributableImage image, CancellationToken cancellationToken)
    {
        var metadata = ToJson(await ReadChartYamlAsync(open, cancellationToken)) as JsonObject
            ?? throw new VimRejectedException("The chart's Chart.yaml is not a mapping of keys to values.");
        var name = Text(metadata, "name");
        var version = Text(metadata, "version");
        var config = JsonSerializer.SerializeToUtf8Bytes(metadata);
        var configDigest = Sha256Digest.Compute(config);
        var chartDigest = Sha256Digest.Of(image.Sha256.ToLowerInvariant());

        // No creation time among the annotations (helm push adds one): the same chart must make the same manifest digest,
        // or every retry and every VIM would hold a different one.
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciMediaTypes.OciManifest,
            config = new { mediaType = OciMediaTypes.HelmConfig, digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = OciMediaTypes.HelmChartContent, digest = chartDigest, size = image.SizeBytes } },
            annotations = new Dictionary<string, string> { ["org.opencontainers.image.title"] = name, ["org.opencontainers.image.version"] = version },
        });

        return new OciArtifact(
            name,
            version,
            [new OciBlob(configDigest, config.Length, ConfigPath), new OciBlob(chartDigest, image.SizeBytes, ChartPath)],
            [new OciManifestDocument(Sha256Digest.Compute(manifest), OciMediaTypes.OciManifest, manifest)],
            async (wanted, onBlob, token) =>
            {
                if (wanted.Contains(ConfigPath))
                {
                    await onBlob(ConfigPath, new MemoryStream(config, writable: false));
                }

                if (wanted.Contains(ChartPath))
                {
                    await using var chart = open();
                    await onBlob(ChartPath, chart);
                }
            });
    }

    /// <summary>The text of <c>{folder}/Chart.yaml</c>, the chart's own metadata file (a sub-chart's lies deeper).</summary>
    static async Task<string> ReadChartYamlAsync(Func<Stream> open, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(open(), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        try
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var parts = entry.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts is [_, "Chart.yaml"] && entry.DataStream is { } data)
                {
                    if (entry.Length > MaxChartYamlBytes)
                    {
                        throw new VimRejectedException($"The chart's Chart.yaml is {entry.Length} bytes; more than {MaxChartYamlBytes >> 20} MiB is no chart metadata.");
                    }

                    using var reader = new StreamReader(data, Encoding.UTF8);
                    return await reader.ReadToEndAsync(cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new VimRejectedException($"The Helm chart cannot be read as a tar.gz: {exception.Message}");
        }

        throw new VimRejectedException("The Helm chart has no Chart.yaml in its top folder.");
    }

    /// <summary>
    /// Chart.yaml as helm's config would carry it: mappings and sequences as they are, <c>true</c>/<c>false</c> as
    /// booleans (deprecated, a dependency's enabled) and every other scalar as text (helm's metadata fields are strings).
    /// </summary>
    static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode);
        }
        catch (Exception exception) when (exception is YamlException or ArgumentException)
        {
            throw new VimRejectedException($"The chart's Chart.yaml is not valid YAML: {exception.Message}");
        }
    }

    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((pair.Key as YamlScalarNode)?.Value) ?? throw new VimRejectedException("Chart.yaml has a key that is not text."), ToJson(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } flag => JsonValue.Create(flag.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    static string Text(JsonObject metadata, string key) =>
        metadata[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new VimRejectedException($"The chart's Chart.yaml has no {key}; helm needs it to name the chart in a registry.");
}
