using ImageManager.Distribution.Drivers;
using ImageManager.ServiceDefaults.Budgets;

namespace ImageManager.Distribution.Budgets;

/// <summary>Writes each piece only once its transfer's budgets let it go (<see cref="TransferTicket"/>).</summary>
public sealed class BudgetedWriteStream(Stream target, TransferTicket ticket) : ForwardingWriteStream(target)
{
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var granted = await ticket.AcquireAsync(buffer.Length, cancellationToken);
            await Target.WriteAsync(buffer[..granted], cancellationToken);
            buffer = buffer[granted..];
        }
    }
}
