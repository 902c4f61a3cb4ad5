namespace ImageManager.Validation.Formats;

/// <summary>One extent line of a vmdk descriptor: <c>RW 2097152 SPARSE "disk.vmdk"</c>; <see cref="FileName"/> is null for ZERO extents.</summary>
public sealed record VmdkExtent(string Access, long Sectors, string Type, string? FileName);
