namespace ImageManager.Oci.Tests;

/// <summary>The listing both services keep of a container archive: files by name, found through links, within bounds.</summary>
public sealed class ContainerArchiveListingTests
{
    const string Layer = "blobs/sha256/aaaa";

    readonly ContainerArchiveListing _listing = new(name => name.Contains("..", StringComparison.Ordinal) ? null : name.TrimStart('.', '/'));

    public ContainerArchiveListingTests() =>
        _listing.Add(new ContainerArchiveFile(Layer, 10, ContainerFileCompression.Gzip, null));

    [Fact]
    public void When_older_docker_links_shared_layers_a_file_is_found_through_the_links()
    {
        _listing.AddLink("two/layer.tar", "one/layer.tar");
        _listing.AddLink("one/layer.tar", Layer);

        Assert.Equal(Layer, _listing.Find("./two/layer.tar")?.Name);
        Assert.True(_listing.Has("two/layer.tar"));
    }

    [Fact]
    public void When_links_go_round_in_a_circle_nothing_is_found()
    {
        _listing.AddLink("a", "b");
        _listing.AddLink("b", "a");

        Assert.Null(_listing.Find("a"));
    }

    [Fact]
    public void When_a_path_leads_out_of_the_archive_by_the_reader_s_rules_nothing_is_found() =>
        Assert.Null(_listing.Find($"x/../{Layer}"));

    [Fact]
    public void When_json_documents_are_kept_their_bytes_are_counted()
    {
        _listing.Add(new ContainerArchiveFile("index.json", 3, ContainerFileCompression.None, "{ }"u8.ToArray()));
        _listing.Add(new ContainerArchiveFile("manifest.json", 2, ContainerFileCompression.None, "[]"u8.ToArray()));

        Assert.Equal(5, _listing.JsonBytes);
        Assert.Equal(3, _listing.Files.Count());
    }
}
