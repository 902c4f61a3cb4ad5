namespace ImageManager.Testing;

/// <summary>Polls until a condition holds, for work that completes asynchronously; bounded in time.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        T last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Waited {within} for {what}; last seen: {Shown(last)}");
    }

    /// <summary>A dictionary (queue depths, say) by its entries rather than its type's name.</summary>
    static string? Shown<T>(T last) => last is System.Collections.IDictionary entries
        ? string.Join(", ", entries.Keys.Cast<object>().Select(key => $"{key}: {entries[key]}"))
        : last?.ToString();
}
