namespace ImageManager.Validation.Archives;

/// <summary>Where an archive's symbolic links may point. Hard links always stay inside: they copy a file's contents.</summary>
public enum SymbolicLinkRule
{
    /// <summary>Inside the folder the archive unpacks into: the rule for everything unpacked into a folder of its own.</summary>
    MustStayInside,

    /// <summary>Anywhere: a deb's data unpacks into <c>/</c>, where absolute links (<c>/etc/alternatives/…</c>) are normal.</summary>
    MayPointAnywhere,
}
