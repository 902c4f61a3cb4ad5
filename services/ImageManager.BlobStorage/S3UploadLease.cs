using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ImageManager.BlobStorage;

/// <summary>
/// A writer's lease on a resumable upload in S3: the empty object <c>uploads/{key}/writer/{began}-{id}</c>, named by when
/// it began so that every writer sorts the leases alike, and aged by its object's last write. It is put again every
/// third of <see cref="BlobStoreOptions.ResumableUploadLease"/> on a timer for as long as the writer lives, however slowly
/// its bytes come (a piece can take minutes on a slow link); a writer that dies stops renewing, and its lease runs out
/// one lease after its last renewal. Disposing stops the renewals, then removes the object.
/// </summary>
internal sealed partial class S3UploadLease : IAsyncDisposable
{
    readonly S3Bucket _bucket;
    readonly TimeSpan _time;
    readonly TimeProvider _clock;
    readonly ILogger _logger;
    readonly CancellationTokenSource _stop = new();
    long _renewedTicks;
    Task _renewing = Task.CompletedTask;

    S3UploadLease(S3Bucket bucket, string key, TimeSpan time, TimeProvider clock, ILogger logger) =>
        (_bucket, Key, _time, _clock, _logger) = (bucket, key, time, clock, logger);

    /// <summary>The lease's object.</summary>
    public string Key { get; }

    /// <summary>
    /// No renewal went through for a whole lease (the store did not answer): others may have taken the upload over, so
    /// the writer must not go on, nor the lease be put back.
    /// </summary>
    public bool Lapsed => _clock.GetUtcNow().UtcTicks - Volatile.Read(ref _renewedTicks) >= _time.Ticks;

    /// <summary>Puts a new lease in <paramref name="folder"/> and starts renewing it.</summary>
    public static async Task<S3UploadLease> TakeAsync(S3Bucket bucket, string folder, TimeSpan time, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var began = clock.GetUtcNow().UtcTicks;
        var lease = new S3UploadLease(bucket, folder + began.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"), time, clock, logger);
        await bucket.PutAsync(lease.Key, ReadOnlyMemory<byte>.Empty, cancellationToken);
        lease._renewedTicks = began;
        lease._renewing = lease.RenewAsync();
        return lease;
    }

    async Task RenewAsync()
    {
        var every = _time / 3;
        while (true)
        {
            try
            {
                await Task.Delay(every, _clock, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (Lapsed)
            {
                LogLapsed(Key, _time);
                return;
            }

            var sent = _clock.GetUtcNow().UtcTicks;
            try
            {
                // Not cut off when the writer ends (a cut-off put may still land after the removal and keep the next
                // writer out), but bounded: a renewal slower than the lease is worthless anyway.
                using var bounded = new CancellationTokenSource(_time, _clock);
                await _bucket.PutAsync(Key, ReadOnlyMemory<byte>.Empty, bounded.Token);
                Volatile.Write(ref _renewedTicks, sent);
            }
            catch (Exception failed)
            {
                // The store may be away for a moment: the next renewal tries again, and the writer's check before its
                // next piece decides whether it still holds the upload.
                LogRenewalFailed(failed, Key);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing; // never throws: a renewal in flight finishes before the lease goes
        _stop.Dispose();
        await _bucket.DeleteAsync(Key, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the resumable upload lease {Lease} failed; trying again")]
    private partial void LogRenewalFailed(Exception exception, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The resumable upload lease {Lease} was not renewed for {LeaseTime}; its writer stops at its next piece")]
    private partial void LogLapsed(string lease, TimeSpan leaseTime);
}
