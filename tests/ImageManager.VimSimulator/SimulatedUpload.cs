namespace ImageManager.VimSimulator;

/// <summary>One accepted upload of bytes to a simulated VIM, from its first byte to its last: tests read overlaps and pace from these.</summary>
public sealed record SimulatedUpload(string VimId, string ImageId, long Bytes, DateTimeOffset Started, DateTimeOffset Ended);
