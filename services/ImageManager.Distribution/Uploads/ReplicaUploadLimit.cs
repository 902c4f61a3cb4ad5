using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// The uploads one replica runs at once (<see cref="DistributionOptions.ConcurrentUploads"/>), whether they came one to a
/// command or many (<see cref="UploadImageToVimsConsumer"/>): each takes a turn, and gives it back when it ends.
/// </summary>
public sealed class ReplicaUploadLimit(IOptions<DistributionOptions> options) : IDisposable
{
    readonly SemaphoreSlim _turns = new(options.Value.ConcurrentUploads, options.Value.ConcurrentUploads);

    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await _turns.WaitAsync(cancellationToken);
        return new Turn(_turns);
    }

    public void Dispose() => _turns.Dispose();

    sealed class Turn(SemaphoreSlim turns) : IDisposable
    {
        int _given;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _given, 1) == 0)
            {
                turns.Release();
            }
        }
    }
}
