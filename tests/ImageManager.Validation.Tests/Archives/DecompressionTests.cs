using System.Security.Cryptography;
using ImageManager.Validation.Archives;

namespace ImageManager.Validation.Tests.Archives;

/// <summary>
/// The decoders against what the command-line tools write: a cut anywhere, bytes behind the last stream, concatenated
/// streams. A decoder that took a cut-off stream for a whole one would let a truncated package pass.
/// </summary>
public sealed class DecompressionTests
{
    static readonly byte[] Original = [.. RandomNumberGenerator.GetBytes(64 << 10), .. TestArchive.Text(string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n")))];

    [Theory]
    [InlineData("xz")]
    [InlineData("xz", "--check=none")]
    [InlineData("bzip2")]
    [InlineData("zstd")]
    [InlineData("zstd", "--no-check")]
    public async Task When_compressed_data_is_cut_anywhere_it_is_refused_as_corrupt(string tool, params string[] options)
    {
        var compressed = Compress(tool, Original, options);
        int[] cutBytes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 20, 24, 28, 32, 40, 48, 64, 100, compressed.Length / 2, compressed.Length - 20];
        Assert.Equal(Original, await DecompressAsync(tool, compressed));

        var accepted = new List<int>();
        foreach (var cut in cutBytes)
        {
            var failure = await Record.ExceptionAsync(() => DecompressAsync(tool, compressed[..^cut]));
            if (failure is not InvalidDataException || !failure.Message.StartsWith($"{tool}: ", StringComparison.Ordinal))
            {
                accepted.Add(cut);
            }
        }

        Assert.True(accepted.Count == 0, $"{tool} {string.Join(' ', options)}: cutting these many bytes off the end was not refused as corrupt: {string.Join(", ", accepted)}");
    }

    [Theory]
    [InlineData("xz")]
    [InlineData("bzip2")]
    [InlineData("zstd")]
    public async Task When_bytes_that_start_no_stream_follow_the_last_one_they_are_refused(string tool)
    {
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => DecompressAsync(tool, [.. Compress(tool, Original), .. "garbage!"u8]));

        Assert.StartsWith($"{tool}: ", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xz", 0)]
    [InlineData("xz", 8)]
    [InlineData("bzip2", 0)]
    [InlineData("zstd", 0)]
    public async Task When_streams_are_concatenated_every_one_is_decompressed(string tool, int paddingBetween)
    {
        var second = TestArchive.Text("a second stream, as cat a.xz b.xz makes it\n");

        var decompressed = await DecompressAsync(tool, [.. Compress(tool, Original), .. new byte[paddingBetween], .. Compress(tool, second)]);

        Assert.Equal([.. Original, .. second], decompressed);
    }

    [Fact]
    public async Task When_xz_stream_padding_is_not_a_multiple_of_four_bytes_it_is_refused()
    {
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => DecompressAsync("xz", [.. Compress("xz", Original), 0, 0, 0]));

        Assert.Equal("xz: the data ends with 3 bytes that are neither stream padding nor a stream", failure.Message);
    }

    [Fact]
    public async Task When_a_zstd_frame_needs_a_window_beyond_the_default_limit_it_is_refused_as_zstd_does()
    {
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => DecompressAsync("zstd", Compress("zstd", Original, "--long=31")));

        Assert.Equal("zstd: Frame requires too much memory for decoding", failure.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 8, 0 }, ArchiveCompression.Gzip)]
    [InlineData(new byte[] { 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4 }, ArchiveCompression.Xz)]
    [InlineData(new byte[] { 0x42, 0x5a, 0x68, 0x39 }, ArchiveCompression.Bzip2)]
    [InlineData(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }, ArchiveCompression.Zstd)]
    [InlineData(new byte[] { 0x30, 0x37, 0x30, 0x37, 0x30, 0x31 }, ArchiveCompression.None)]
    public void When_bytes_start_with_a_magic_number_the_compression_is_recognised(byte[] start, ArchiveCompression compression) =>
        Assert.Equal(compression, Decompression.Detect(start));

    static byte[] Compress(string tool, byte[] bytes, params string[] options) => tool switch
    {
        "xz" => CompressionTool.Xz(bytes, options),
        "bzip2" => CompressionTool.Bzip2(bytes, options),
        _ => CompressionTool.Zstd(bytes, options),
    };

    static async Task<byte[]> DecompressAsync(string tool, byte[] compressed)
    {
        var compression = tool switch
        {
            "xz" => ArchiveCompression.Xz,
            "bzip2" => ArchiveCompression.Bzip2,
            _ => ArchiveCompression.Zstd,
        };
        using var input = new MemoryStream(compressed);
        await using var decompressed = Decompression.Open(input, compression);
        using var output = new MemoryStream();
        await decompressed.CopyToAsync(output);
        return output.ToArray();
    }
}
