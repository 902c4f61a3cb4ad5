namespace ImageManager.Validation.Archives;

/// <summary>
/// A cpio entry's data: at most its size in bytes from the archive, summed as they pass for the crc format's check
/// (a plain 32-bit sum of the bytes, despite its name). Ends early, quietly, where a truncated archive ends;
/// <see cref="CpioReader"/> tells from <see cref="BytesRead"/>.
/// </summary>
public sealed class CpioDataStream(Stream archive, long size) : ForwardReadStream
{
    public long BytesRead { get; private set; }

    /// <summary>The sum of the bytes read, modulo 2^32.</summary>
    public uint Sum { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = archive.Read(buffer[..Wanted(buffer.Length)]);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await archive.ReadAsync(buffer[..Wanted(buffer.Length)], cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

    int Wanted(int room) => (int)Math.Min(room, size - BytesRead);

    void Account(ReadOnlySpan<byte> bytes)
    {
        BytesRead += bytes.Length;
        var sum = Sum;
        foreach (var b in bytes)
        {
            sum += b;
        }

        Sum = sum;
    }
}
