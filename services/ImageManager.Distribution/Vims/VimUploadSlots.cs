using System.Collections.Concurrent;

namespace ImageManager.Distribution.Vims;

/// <summary>
/// Uploads in flight per VIM in this process, against the VIM's <c>MaxConcurrentUploads</c>. A full VIM does not make
/// an upload wait here (that would hold a worker that another VIM could use): the caller defers it instead.
/// With several replicas each enforces the limit on its own share.
/// </summary>
public sealed class VimUploadSlots
{
    readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    public bool TryTake(string vimId, int limit)
    {
        while (true)
        {
            var current = _inFlight.GetOrAdd(vimId, 0);
            if (current >= limit)
            {
                return false;
            }

            if (_inFlight.TryUpdate(vimId, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Release(string vimId) => _inFlight.AddOrUpdate(vimId, 0, (_, current) => Math.Max(0, current - 1));
}
