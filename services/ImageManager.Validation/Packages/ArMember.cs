namespace ImageManager.Validation.Packages;

/// <summary>One member of an ar archive: its name and where its bytes are.</summary>
public sealed record ArMember(string Name, long Offset, long Size);
