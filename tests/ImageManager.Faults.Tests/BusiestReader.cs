using System.Globalization;

namespace ImageManager.Faults.Tests;

/// <summary>
/// Which of some replicas is reading the most bytes just now (from the kernel's <c>/proc/{pid}/io</c>): the one a
/// long upload behind the balancer is streaming into, since nothing in the protocol says which replica took it.
/// </summary>
public static class BusiestReader
{
    /// <summary>The name (as <paramref name="services"/> knows it) of the busiest reader among <paramref name="names"/>.</summary>
    public static async Task<string> AmongAsync(IReadOnlyDictionary<string, ServiceProcess> services, IReadOnlyList<string> names, TimeSpan window)
    {
        var before = names.Select(name => BytesRead(services[name].ProcessId)).ToArray();
        await Task.Delay(window);
        return names.Select((name, i) => (name, Read: BytesRead(services[name].ProcessId) - before[i])).MaxBy(r => r.Read).name;
    }

    static long BytesRead(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal));
        return long.Parse(line["rchar:".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
