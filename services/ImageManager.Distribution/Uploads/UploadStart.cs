using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Uploads;

/// <summary>What an upload starts from (<see cref="UploadStartReads"/>): its VIM, whether it is still wanted, and the VIM's slot it holds (none: the VIM is full or its circuit open).</summary>
public sealed record UploadStart(Vim Vim, bool Cancelled, bool Withdrawn, VimUploadLease? Lease);
