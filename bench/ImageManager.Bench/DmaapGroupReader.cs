using System.Text.Json.Nodes;

namespace ImageManager.Bench;

/// <summary>What one DMaaP consumer group of the bench read: how many messages, and the distributions whose completion it saw.</summary>
public sealed class DmaapGroupReader
{
    const string Completed = "org.onap.imagemanager.distribution.completed";

    readonly HashSet<string> _completed = [];
    int _count;

    public int Count => Volatile.Read(ref _count);

    public void Take(JsonObject notification)
    {
        Interlocked.Increment(ref _count);
        if (notification["type"]?.GetValue<string>() == Completed)
        {
            lock (_completed)
            {
                _completed.Add(notification["subject"]!.GetValue<string>());
            }
        }
    }

    public bool HasCompleted(string distributionId)
    {
        lock (_completed)
        {
            return _completed.Contains(distributionId);
        }
    }
}
