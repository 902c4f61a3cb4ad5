namespace ImageManager.Distribution.Ownership;

/// <summary>Where a <see cref="VimCopy"/> is in its life.</summary>
public static class VimCopyStates
{
    /// <summary>Image Manager is creating it: recorded before the first call that could create it on the VIM.</summary>
    public const string Creating = "creating";

    /// <summary>On the VIM, proven by its hash.</summary>
    public const string Present = "present";

    /// <summary>A removal is deleting it; an upload that made it in the meantime deletes it too.</summary>
    public const string Removing = "removing";

    /// <summary>Deleted from the VIM (or found gone); the row stays as the record of what was where.</summary>
    public const string Removed = "removed";

    /// <summary>An operator told Image Manager to forget it (the VIM is gone for good); never touched again.</summary>
    public const string Forgotten = "forgotten";
}
