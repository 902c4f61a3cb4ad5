using ImageManager.ServiceDefaults.Budgets;

namespace ImageManager.Api.Budgets;

/// <summary>
/// A download's bytes, each read no larger than its budgets let go at that moment (<see cref="TransferTicket"/>); the
/// transfer counts until the response is done. Seeks pass through, so Range requests work as before.
/// </summary>
public sealed class BudgetedReadStream(Stream inner, TransferTicket ticket) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var granted = await ticket.AcquireAsync(buffer.Length, cancellationToken);
        return await inner.ReadAsync(buffer[..granted], cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            ticket.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        ticket.Dispose();
        await base.DisposeAsync();
    }
}
