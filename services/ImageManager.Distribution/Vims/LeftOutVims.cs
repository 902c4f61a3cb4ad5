namespace ImageManager.Distribution.Vims;

/// <summary>How many VIMs of one type a selector chose that do not take the image (they are not targets), and why.</summary>
public sealed record LeftOutVims(string VimType, int Count, string Reason);
