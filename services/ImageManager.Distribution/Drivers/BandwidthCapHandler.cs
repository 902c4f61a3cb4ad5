namespace ImageManager.Distribution.Drivers;

/// <summary>
/// Sends each request body to a VIM at no more than its bandwidth cap. It sits in the VIM's connection, so every driver
/// is capped the same way and only bytes that go to the VIM are paced (reading an archive to plan what to send is not).
/// </summary>
public sealed class BandwidthCapHandler(long bytesPerSecond, TimeProvider clock) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            request.Content = new WrappedContent(content, transport => new ThrottledWriteStream(transport, bytesPerSecond, clock));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
