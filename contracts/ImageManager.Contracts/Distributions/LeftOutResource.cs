namespace ImageManager.Contracts.Distributions;

/// <summary>VIMs a selector chose that are not targets because their type does not take the image's kind: how many, by VIM type, and why.</summary>
public sealed record LeftOutResource(int Count, IReadOnlyDictionary<string, int> ByVimType, string Detail);
