using System.Collections.Concurrent;
using ImageManager.Testing;
using MassTransit;

namespace ImageManager.Catalog.Tests;

/// <summary>Messages of one type seen on the broker by a temporary endpoint (see <see cref="CatalogApp.ListenAsync{T}"/>).</summary>
public sealed class PublishedMessages<T> : IAsyncDisposable
    where T : class
{
    readonly ConcurrentQueue<T> _messages = new();

    public HostReceiveEndpointHandle? Handle { get; set; }

    public void Add(T message) => _messages.Enqueue(message);

    /// <summary>Waits until a message matches, and returns it.</summary>
    public Task<T> WaitForAsync(Func<T, bool> match, string what) =>
        Eventually.Get(() => Task.FromResult(_messages.FirstOrDefault(match)), m => m is not null, TimeSpan.FromSeconds(30), what)!;

    public IReadOnlyList<T> Where(Func<T, bool> match) => _messages.Where(match).ToList();

    public async ValueTask DisposeAsync()
    {
        if (Handle is not null)
        {
            await Handle.StopAsync();
        }
    }
}
