using ImageManager.Api.Images;
using ImageManager.ServiceDefaults.Budgets;

namespace ImageManager.Api.Budgets;

/// <summary>
/// A download's bytes, each read no larger than its budgets let go at that moment (<see cref="TransferTicket"/>); the
/// transfer counts until the response is done.
/// </summary>
public sealed class BudgetedReadStream(Stream inner, TransferTicket ticket) : ForwardingReadStream(inner)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var granted = await ticket.AcquireAsync(buffer.Length, cancellationToken);
        return await Inner.ReadAsync(buffer[..granted], cancellationToken);
    }

    protected override void OnDisposed() => ticket.Dispose();
}
