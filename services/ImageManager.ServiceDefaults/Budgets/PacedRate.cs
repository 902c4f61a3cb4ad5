using System.Threading.RateLimiting;

namespace ImageManager.ServiceDefaults.Budgets;

/// <summary>
/// A rate in bytes per second that changes while transfers wait on it, over the framework's
/// <see cref="TokenBucketRateLimiter"/> (which has a fixed rate): a new rate is a new bucket, and whoever waited on the
/// old one (completed with a failed lease when it is disposed) asks the new one. A bucket holds a tenth of a second's
/// worth, so no burst goes beyond that.
/// </summary>
public sealed class PacedRate : IDisposable
{
    /// <summary>How often a bucket is refilled: short enough that a transfer never stalls noticeably, long enough to cost nothing.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    const int MaxAttempts = 1000;

    Bucket? _bucket;

    /// <summary>The rate now; null when unlimited.</summary>
    public long? BytesPerSecond => Volatile.Read(ref _bucket)?.BytesPerSecond;

    /// <summary>Sets the rate (null: unlimited). A change under 2 % keeps the bucket, so steady shares make no new ones.</summary>
    public void Set(long? bytesPerSecond)
    {
        var current = Volatile.Read(ref _bucket);
        if (bytesPerSecond is { } rate && current is { } same && Math.Abs(same.BytesPerSecond - rate) <= same.BytesPerSecond / 50)
        {
            return;
        }

        if (bytesPerSecond is null && current is null)
        {
            return;
        }

        var next = bytesPerSecond is { } wanted ? Bucket.For(Math.Max(1, wanted)) : null;
        Interlocked.Exchange(ref _bucket, next)?.Limiter.Dispose();
    }

    /// <summary>Waits until up to <paramref name="wanted"/> bytes may go; answers how many (at least one, never more than a bucket holds).</summary>
    public async ValueTask<int> AcquireAsync(int wanted, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (Volatile.Read(ref _bucket) is not { } bucket)
            {
                return wanted;
            }

            var permits = Math.Max(1, Math.Min(wanted, bucket.TokenLimit));
            try
            {
                using var lease = await bucket.Limiter.AcquireAsync(permits, cancellationToken);
                if (lease.IsAcquired)
                {
                    return permits;
                }
            }
            catch (ObjectDisposedException)
            {
                // replaced between the read and the call: ask the new bucket
            }
        }

        // Only if the rate changed a thousand times while this one waited: let it go rather than loop on.
        return Math.Min(wanted, 4096);
    }

    public void Dispose() => Interlocked.Exchange(ref _bucket, null)?.Limiter.Dispose();

    sealed record Bucket(TokenBucketRateLimiter Limiter, long BytesPerSecond, int TokenLimit)
    {
        public static Bucket For(long bytesPerSecond)
        {
            var perPeriod = (int)Math.Clamp(bytesPerSecond * Period.Ticks / TimeSpan.TicksPerSecond, 1, int.MaxValue);
            var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = perPeriod,
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = Period,
                AutoReplenishment = true,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            return new Bucket(limiter, bytesPerSecond, perPeriod);
        }
    }
}
