using ImageManager.Validation.Formats;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Formats;

public sealed class DiskImageInspectorTests(ImageCorpus corpus) : IClassFixture<ImageCorpus>
{
    const long TiB = 1L << 40;

    [Theory]
    [InlineData(ImageCorpus.Raw, "raw")]
    [InlineData(ImageCorpus.Qcow2V3, "qcow2")]
    [InlineData(ImageCorpus.Qcow2V2, "qcow2")]
    [InlineData(ImageCorpus.MonolithicSparseVmdk, "vmdk")]
    [InlineData(ImageCorpus.StreamOptimizedVmdk, "vmdk")]
    [InlineData(ImageCorpus.DynamicVhd, "vhd")]
    [InlineData(ImageCorpus.FixedVhd, "vhd")]
    [InlineData(ImageCorpus.Vhdx, "vhdx")]
    [InlineData(ImageCorpus.Vdi, "vdi")]
    [InlineData(ImageCorpus.Iso, "iso")]
    public void When_a_valid_image_is_declared_as_what_it_is_it_is_accepted_with_the_virtual_size_qemu_reads(string image, string format)
    {
        var inspection = Inspect(image, declared: format);

        Assert.Empty(inspection.Problems);
        Assert.Equal(format, inspection.Format);
        Assert.Equal(corpus.QemuVirtualSize(image, format), inspection.VirtualSizeBytes);
    }

    [Fact]
    public void When_a_valid_image_is_inspected_the_virtual_size_is_the_disk_it_was_made_from()
    {
        Assert.Equal(ImageCorpus.DiskSize, Inspect(ImageCorpus.Qcow2V3, declared: "qcow2").VirtualSizeBytes);
        Assert.Equal(ImageCorpus.IsoBlocks * IsoImage.BlockSize, Inspect(ImageCorpus.Iso, declared: "iso").VirtualSizeBytes);
    }

    [Theory]
    [InlineData(ImageCorpus.BackingFileQcow2, "qcow2", "the qcow2 image has a backing file ('base.qcow2')")]
    [InlineData(ImageCorpus.JsonBackingQcow2, "qcow2", "the qcow2 image's backing file is a json: pseudo-filename ('" + ImageCorpus.JsonBackingFile + "')")]
    [InlineData(ImageCorpus.DataFileQcow2, "qcow2", "the qcow2 image keeps its data in an external data file ('data-file.raw')")]
    [InlineData(ImageCorpus.UnknownFeatureQcow2, "qcow2", "incompatible features unknown to this service (bits 5)")]
    [InlineData(ImageCorpus.TruncatedQcow2, "qcow2", "the qcow2 header is truncated: it needs 104 bytes but the file has 20")]
    [InlineData(ImageCorpus.MonolithicFlatVmdk, "vmdk", "the vmdk createType 'monolithicFlat' is not allowed")]
    [InlineData(ImageCorpus.MonolithicFlatVmdk, "vmdk", "the vmdk descriptor names an extent in another file ('monolithic-flat-flat.vmdk', FLAT)")]
    [InlineData(ImageCorpus.TwoGbMaxExtentSparseVmdk, "vmdk", "the vmdk createType 'twoGbMaxExtentSparse' is not allowed")]
    [InlineData(ImageCorpus.TwoGbMaxExtentSparseVmdk, "vmdk", "the vmdk descriptor names an extent in another file ('two-gb-max-extent-sparse-s001.vmdk', SPARSE)")]
    [InlineData(ImageCorpus.ForeignExtentVmdk, "vmdk", "the vmdk descriptor names an extent in another file ('/etc/passwd', FLAT)")]
    [InlineData(ImageCorpus.DifferencingVhd, "vhd", "the vhd is a differencing disk")]
    [InlineData(ImageCorpus.Qcow2InSystemAreaIso, "iso", "the bytes are an ISO whose system area holds a qcow2 header (at offset 0)")]
    public void When_an_image_is_unsafe_it_is_refused_with_a_reason_that_says_why(string image, string declared, string reason)
    {
        var inspection = Inspect(image, declared);

        Assert.False(inspection.Acceptable);
        Assert.Contains(inspection.Problems, problem => problem.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void When_a_sparse_vmdk_also_names_a_host_file_only_that_extent_is_refused()
    {
        var inspection = Inspect(ImageCorpus.ForeignExtentVmdk, declared: "vmdk");

        Assert.Equal("vmdk", inspection.Format);
        Assert.Single(inspection.Problems);
    }

    [Fact]
    public void When_the_virtual_size_is_above_the_configured_cap_the_image_is_refused()
    {
        var inspection = Inspect(ImageCorpus.HugeQcow2, declared: "qcow2", new FormatInspectionOptions { MaxVirtualSizeBytes = TiB });

        Assert.Equal(100 * TiB, inspection.VirtualSizeBytes);
        Assert.Contains(inspection.Problems, problem => problem.StartsWith("the virtual size of 100 TiB (109951162777600 bytes) is above the limit of 1 TiB", StringComparison.Ordinal));
    }

    [Fact]
    public void When_the_virtual_size_is_under_the_cap_the_same_image_passes_the_cap()
    {
        var inspection = Inspect(ImageCorpus.HugeQcow2, declared: "qcow2", new FormatInspectionOptions { MaxVirtualSizeBytes = 200 * TiB, MaxVirtualToFileSizeRatio = long.MaxValue });

        Assert.Empty(inspection.Problems);
    }

    [Fact]
    public void When_a_sparse_qcow2_is_tiny_beside_its_virtual_size_the_default_ratio_accepts_it()
    {
        var inspection = Inspect(ImageCorpus.SparseQcow2, declared: "qcow2");

        Assert.True(new FileInfo(corpus.PathOf(ImageCorpus.SparseQcow2)).Length < 1 << 20);
        Assert.Equal(10L << 30, inspection.VirtualSizeBytes);
        Assert.Empty(inspection.Problems);
    }

    [Fact]
    public void When_the_virtual_size_is_more_times_the_file_size_than_configured_the_image_is_refused()
    {
        var inspection = Inspect(ImageCorpus.SparseQcow2, declared: "qcow2", new FormatInspectionOptions { MaxVirtualToFileSizeRatio = 1000 });

        Assert.Contains(inspection.Problems, problem => problem.Contains("times the file size", StringComparison.Ordinal) && problem.Contains("more than the allowed 1,000 times", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ImageCorpus.Qcow2V3, "raw", "declared raw but the bytes are a qcow2 image")]
    [InlineData(ImageCorpus.Iso, "raw", "declared raw but the bytes are an iso image")]
    [InlineData(ImageCorpus.Raw, "qcow2", "declared qcow2 but the bytes are raw (no known disk image signature)")]
    [InlineData(ImageCorpus.Vhdx, "vhd", "declared vhd but the bytes are a vhdx image")]
    [InlineData(ImageCorpus.StreamOptimizedVmdk, "qcow2", "declared qcow2 but the bytes are a vmdk image")]
    [InlineData(ImageCorpus.Qcow2V3, null, "no disk format was declared; the bytes are a qcow2 image")]
    public void When_the_declared_format_is_not_what_the_bytes_are_the_image_is_refused(string image, string? declared, string reason)
    {
        var inspection = Inspect(image, declared);

        Assert.Equal([reason], inspection.Problems);
    }

    [Theory]
    [InlineData(ImageCorpus.Raw)]
    [InlineData(ImageCorpus.FixedVhd)]
    [InlineData(ImageCorpus.Qcow2V3)]
    [InlineData(ImageCorpus.MonolithicSparseVmdk)]
    [InlineData(ImageCorpus.DynamicVhd)]
    [InlineData(ImageCorpus.Vhdx)]
    [InlineData(ImageCorpus.Vdi)]
    [InlineData(ImageCorpus.Iso)]
    [InlineData(ImageCorpus.HugeQcow2)]
    public void When_an_image_is_inspected_only_header_regions_are_read(string image)
    {
        using var content = File.OpenRead(corpus.PathOf(image));
        var reader = new HeaderReader(content);

        Inspector().Inspect(reader, declaredFormat: null);

        Assert.InRange(reader.BytesRead, 1, 32 * 1024);
    }

    [Fact]
    public void When_the_blob_is_a_seekable_stream_but_not_a_file_the_same_inspection_results()
    {
        using var file = File.OpenRead(corpus.PathOf(ImageCorpus.JsonBackingQcow2));
        using var buffered = new BufferedStream(file);

        var inspection = Inspector().Inspect(new HeaderReader(buffered), "qcow2");

        var throughTheFileHandle = Inspect(ImageCorpus.JsonBackingQcow2, "qcow2");
        Assert.NotEmpty(inspection.Problems);
        Assert.Equal(throughTheFileHandle.Problems, inspection.Problems);
        Assert.Equal(throughTheFileHandle.VirtualSizeBytes, inspection.VirtualSizeBytes);
    }

    FormatInspection Inspect(string image, string? declared, FormatInspectionOptions? options = null)
    {
        using var content = File.OpenRead(corpus.PathOf(image));
        return Inspector(options).Inspect(new HeaderReader(content), declared);
    }

    static DiskImageInspector Inspector(FormatInspectionOptions? options = null) => new(Options.Create(options ?? new FormatInspectionOptions()));
}
