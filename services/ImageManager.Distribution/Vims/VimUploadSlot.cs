namespace ImageManager.Distribution.Vims;

/// <summary>
/// One of a VIM's upload slots, shared by every replica: free when <see cref="ExpiresAt"/> is null or past. Rows are made
/// as a VIM's uploads first need them (slots 0 to its limit - 1) and are then reused, so taking one is an update.
/// </summary>
public sealed class VimUploadSlot
{
    public required string VimId { get; set; }
    public int Slot { get; set; }

    /// <summary>The upload holding it (a fresh id per take, so a late release of a lease taken over frees nothing).</summary>
    public Guid? Holder { get; set; }

    /// <summary>Renewed by the holder's replica while the upload runs; past it, anyone may take the slot over.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
