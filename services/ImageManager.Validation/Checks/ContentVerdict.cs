namespace ImageManager.Validation.Checks;

/// <summary>What the check for an image's kind found: why the bytes are refused (null when they pass), what they are, and a VM image's virtual size.</summary>
public sealed record ContentVerdict(string? Reason, string? DetectedType, long? VirtualSizeBytes);
