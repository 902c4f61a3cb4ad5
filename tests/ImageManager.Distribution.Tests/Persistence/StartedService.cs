using Microsoft.Extensions.Hosting;

namespace ImageManager.Distribution.Tests.Persistence;

/// <summary>A background service of the Distribution (a group commit, say) running for a test: stopped and disposed with it.</summary>
public sealed class StartedService<T>(T service) : IAsyncDisposable where T : BackgroundService
{
    public T Service => service;

    public async Task<StartedService<T>> StartAsync()
    {
        await service.StartAsync(CancellationToken.None);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await service.StopAsync(CancellationToken.None);
        service.Dispose();
    }
}
