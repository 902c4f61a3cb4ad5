using System.Collections.Concurrent;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Tests.Vims;

/// <summary>A driver that only counts the probes of each VIM (answering as if the VIM still failed), for the probe's tests.</summary>
public sealed class ProbeCountingDriver : IVimDriver
{
    public ConcurrentDictionary<string, int> Probes { get; } = new();

    public string VimType => "openstack";

    public string Holds => "nothing";

    public bool Takes(string kind, string? detectedType) => false;

    public async Task ProbeAsync(VimConnection vim, CancellationToken cancellationToken)
    {
        Probes.AddOrUpdate(vim.Vim.Id, 1, (_, count) => count + 1);
        await Task.Yield();
        throw new VimTransientException($"VIM {vim.Vim.Id} still does not answer.") { HealthReason = VimHealthReasons.Unreachable };
    }

    public Task<VimUploadResult> EnsurePresentAsync(VimUpload upload, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<VimImagePresence> CheckPresentAsync(VimConnection vim, string vimImageId, DistributableImage image, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task RemoveAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public string? CannotDeactivate => null;

    public Task<bool> DeactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> ReactivateAsync(VimConnection vim, string vimImageId, CancellationToken cancellationToken) => throw new NotSupportedException();
}
