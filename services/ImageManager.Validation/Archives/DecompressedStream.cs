using System.IO.Compression;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;
using SharpCompress.Compressors.ZStandard;
using SharpCompressionMode = SharpCompress.Compressors.CompressionMode;

namespace ImageManager.Validation.Archives;

/// <summary>
/// The decompressed bytes of a gzip (.NET's <see cref="GZipStream"/>, strict, see <see cref="ArchiveReader"/>), xz, bzip2
/// or zstd stream (SharpCompress's <see cref="XZStream"/>, <see cref="BZip2Stream"/> and <see cref="DecompressionStream"/>).
/// Whatever a decoder throws on bad input becomes an <see cref="InvalidDataException"/> that names the compression, so a
/// crafted stream is refused as corrupt instead of failing the validation; only I/O errors and cancellation pass as they are.
/// Does not own the compressed stream.
/// </summary>
public sealed class DecompressedStream : ForwardReadStream
{
    /// <summary>xz's stream padding between concatenated streams: zero bytes, a multiple of four.</summary>
    const int XzPaddingUnit = 4;

    readonly Stream _compressed;
    readonly ArchiveCompression _compression;
    Stream? _decoder;

    public DecompressedStream(Stream compressed, ArchiveCompression compression)
    {
        if (compression == ArchiveCompression.Xz && !compressed.CanSeek)
        {
            throw new ArgumentException("xz streams are read from a seekable stream: the bytes after one stream are looked at before the next is decoded.", nameof(compressed));
        }

        _compressed = compressed;
        _compression = compression;
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            while (true)
            {
                var read = Decoder().Read(buffer);
                if (read > 0 || buffer.IsEmpty || !StartsAnotherXzStream())
                {
                    return read;
                }
            }
        }
        catch (Exception failure) when (IsDecoderFailure(failure))
        {
            throw Corrupt(failure);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            while (true)
            {
                var read = await Decoder().ReadAsync(buffer, cancellationToken);
                if (read > 0 || buffer.IsEmpty || !await StartsAnotherXzStreamAsync(cancellationToken))
                {
                    return read;
                }
            }
        }
        catch (Exception failure) when (IsDecoderFailure(failure))
        {
            throw Corrupt(failure);
        }
    }

    /// <summary>Made on the first read, so that a decoder that checks the stream's header as it is made fails inside a read too.</summary>
    Stream Decoder() => _decoder ??= _compression switch
    {
        ArchiveCompression.Gzip => new GZipStream(_compressed, CompressionMode.Decompress, leaveOpen: true),
        ArchiveCompression.Xz => new XZStream(_compressed),
        // As bzip2 -d does: the streams of a concatenated file one after the other.
        ArchiveCompression.Bzip2 => BZip2Stream.Create(_compressed, SharpCompressionMode.Decompress, decompressConcatenated: true, leaveOpen: true, tolerateTruncatedStream: false),
        ArchiveCompression.Zstd => new DecompressionStream(_compressed, checkEndOfStream: true, leaveOpen: true),
        _ => throw new InvalidOperationException($"No decoder for {_compression}."),
    };

    /// <summary>
    /// XZStream stops after one stream, but xz -d (and so tar -J) goes on to the next: a second stream glued behind the
    /// first would be unpacked unchecked. So every stream is read; between them only stream padding may stand.
    /// </summary>
    bool StartsAnotherXzStream()
    {
        if (_compression != ArchiveCompression.Xz)
        {
            return false;
        }

        var word = new byte[XzPaddingUnit];
        while (true)
        {
            if (AfterXzStream(word, _compressed.ReadAtLeast(word, word.Length, throwOnEndOfStream: false)) is { } another)
            {
                return another;
            }
        }
    }

    async ValueTask<bool> StartsAnotherXzStreamAsync(CancellationToken cancellationToken)
    {
        if (_compression != ArchiveCompression.Xz)
        {
            return false;
        }

        var word = new byte[XzPaddingUnit];
        while (true)
        {
            var read = await _compressed.ReadAtLeastAsync(word, word.Length, throwOnEndOfStream: false, cancellationToken);
            if (AfterXzStream(word, read) is { } another)
            {
                return another;
            }
        }
    }

    /// <summary>What the next word after an xz stream means: the end, padding (null), or the start of another stream.</summary>
    bool? AfterXzStream(byte[] word, int read)
    {
        if (read == 0)
        {
            return false;
        }

        if (read < word.Length)
        {
            throw new InvalidDataException($"the data ends with {read} bytes that are neither stream padding nor a stream");
        }

        if (!word.AsSpan().ContainsAnyExcept((byte)0))
        {
            return null;
        }

        _compressed.Seek(-word.Length, SeekOrigin.Current);
        _decoder?.Dispose();
        _decoder = null; // the next read decodes the next stream, whose header XZStream checks
        return true;
    }

    /// <summary>Decoders fail on crafted input in many ways (SharpCompress's own exceptions, end of stream, bad indexes); a failing disk is not one.</summary>
    static bool IsDecoderFailure(Exception failure) =>
        failure is not (OperationCanceledException or OutOfMemoryException or ArchiveRefusedException) &&
        (failure is not IOException || failure is EndOfStreamException);

    InvalidDataException Corrupt(Exception failure) =>
        new($"{Decompression.NameOf(_compression)}: {failure.Message.TrimEnd('.')}", failure);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_decoder is not null)
        {
            await _decoder.DisposeAsync();
            _decoder = null;
        }

        await base.DisposeAsync();
    }
}
