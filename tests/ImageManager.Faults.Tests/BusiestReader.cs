using System.Globalization;

namespace ImageManager.Faults.Tests;

/// <summary>
/// Which of some replicas is reading the most bytes just now (from the kernel's <c>/proc/{pid}/io</c>): the one a
/// long upload behind the balancer is streaming into, since nothing in the protocol says which replica took it.
/// </summary>
public static class BusiestReader
{
    public static async Task<ServiceProcess> AmongAsync(IReadOnlyList<ServiceProcess> replicas, TimeSpan window)
    {
        var before = replicas.Select(r => BytesRead(r.ProcessId)).ToArray();
        await Task.Delay(window);
        return replicas.Select((replica, i) => (replica, Read: BytesRead(replica.ProcessId) - before[i])).MaxBy(r => r.Read).replica;
    }

    static long BytesRead(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal));
        return long.Parse(line["rchar:".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
