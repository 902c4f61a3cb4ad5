using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>The order registration probes run in: a VIM registered by itself before those of a bulk upsert or an import.</summary>
public sealed class VimProbeQueueTests
{
    [Fact]
    public async Task When_a_single_registration_comes_after_a_bulk_one_it_is_probed_first()
    {
        var queue = new VimProbeQueue();
        foreach (var vimId in new[] { "bulk-1", "bulk-2", "bulk-3" })
        {
            queue.EnqueueBulk(vimId);
        }

        queue.Enqueue("single");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = new List<string>();
        await foreach (var vimId in queue.ReadAllAsync(timeout.Token))
        {
            read.Add(vimId);
            if (read.Count == 4)
            {
                break;
            }
        }

        Assert.Equal(["single", "bulk-1", "bulk-2", "bulk-3"], read);
    }

    [Fact]
    public async Task When_the_queue_is_empty_the_reader_waits_for_the_next_vim_of_either_kind()
    {
        var queue = new VimProbeQueue();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var reader = queue.ReadAllAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        var first = reader.MoveNextAsync().AsTask();
        await Task.Delay(50);
        queue.EnqueueBulk("bulk-1");
        Assert.True(await first);
        var bulk = reader.Current;
        var second = reader.MoveNextAsync().AsTask();
        await Task.Delay(50);
        queue.Enqueue("single");

        Assert.True(await second);
        Assert.Equal(("bulk-1", "single"), (bulk, reader.Current));
    }
}
