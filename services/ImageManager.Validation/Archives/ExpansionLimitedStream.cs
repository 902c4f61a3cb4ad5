using System.IO.Hashing;

namespace ImageManager.Validation.Archives;

/// <summary>
/// Charges every byte read from an archive's expanded content to its <see cref="ExpansionBudget"/>, and feeds a zip
/// entry's bytes to its <see cref="Crc32"/> when given one. Does not own the inner stream.
/// </summary>
public sealed class ExpansionLimitedStream(Stream inner, ExpansionBudget budget, Crc32? checksum = null) : ForwardReadStream
{
    /// <summary>Bytes read through this stream (a zip entry's real size, whatever its header says).</summary>
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Account(buffer.Span[..read]);
        return read;
    }

    void Account(ReadOnlySpan<byte> bytes)
    {
        BytesRead += bytes.Length;
        budget.Charge(bytes.Length);
        checksum?.Append(bytes);
    }
}
