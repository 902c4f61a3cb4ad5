using System.Security.Cryptography;

namespace ImageManager.BlobStorage;

/// <summary>
/// Reads a stream once and computes its SHA-256 and, unless told not to, its SHA-512 (optionally copying it to a
/// destination), with the jobs on separate threads: the slowest one (SHA-512, about 1.2 GB/s per core here) sets the
/// pace instead of the sum of all three. Memory is a few buffers, whatever the stream's length; they are 4 KiB-aligned so that a
/// <see cref="DirectWriteStream"/> writes them without a copy.
/// </summary>
public static class StreamDigests
{
    /// <summary>Buffers in flight: one being filled, the others being hashed and written.</summary>
    const int Depth = 3;

    public static async Task<StoredBlob> ComputeAsync(Stream source, Stream? destination, int bufferSize, CancellationToken cancellationToken, bool withSha512 = true)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        bufferSize = (bufferSize + DirectWriteStream.Alignment - 1) / DirectWriteStream.Alignment * DirectWriteStream.Alignment;
        var buffers = new Memory<byte>?[Depth];
        var inFlight = new Task[Depth];
        Task hashing256 = Task.CompletedTask, hashing512 = Task.CompletedTask, writing = Task.CompletedTask;
        long length = 0;
        try
        {
            for (var i = 0; ; i = (i + 1) % Depth)
            {
                if (inFlight[i] is { } previous)
                {
                    await previous; // buffer i is free again
                }

                buffers[i] ??= new AlignedBuffer(bufferSize).Memory;
                var read = await FillAsync(source, buffers[i]!.Value, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                var chunk = buffers[i]!.Value[..read];
                // Each job stays in order with itself (digests are sequential) but runs beside the other two.
                hashing256 = After(hashing256, () => sha256.AppendData(chunk.Span));
                if (withSha512)
                {
                    hashing512 = After(hashing512, () => sha512.AppendData(chunk.Span));
                }
                if (destination is not null)
                {
                    writing = AfterAsync(writing, () => destination.WriteAsync(chunk, cancellationToken));
                }

                inFlight[i] = Task.WhenAll(hashing256, hashing512, writing);
            }

            await Task.WhenAll(hashing256, hashing512, writing);
            return new StoredBlob(
                Convert.ToHexStringLower(sha256.GetHashAndReset()), withSha512 ? Convert.ToHexStringLower(sha512.GetHashAndReset()) : null, length);
        }
        finally
        {
            // No job may still be reading a buffer, or writing to the destination, once the caller moves on.
            await Task.WhenAll(inFlight.Where(t => t is not null).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    static async Task<int> FillAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    static async Task After(Task previous, Action next)
    {
        await previous;
        await Task.Run(next);
    }

    static async Task AfterAsync(Task previous, Func<ValueTask> next)
    {
        await previous;
        await next();
    }
}
