using ImageManager.Distribution.Drivers;

namespace ImageManager.Distribution.Budgets;

/// <summary>
/// Counts each request to a VIM as a transfer in flight while it runs and paces its body by the budgets: the VIM's cap
/// shared with all its transfers (push and pull, every replica), and the central uplink's. It sits in the VIM's
/// connection, so every driver is paced the same way and only bytes that go to the VIM are (reading an archive to plan
/// what to send is not).
/// </summary>
public sealed class BudgetHandler(TransferBudgets budgets, string vimId, long? vimCap) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not { } content)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        // The transfer lasts until the VIM answers: the body is all sent by then.
        using var ticket = budgets.Begin(vimId, vimCap);
        request.Content = new WrappedContent(content, transport => new BudgetedWriteStream(transport, ticket));
        return await base.SendAsync(request, cancellationToken);
    }
}
