namespace ImageManager.Distribution.Vims;

/// <summary>An upload slot of a VIM held by one upload of this replica.</summary>
public sealed record VimUploadLease(string VimId, int Slot, Guid Holder);
