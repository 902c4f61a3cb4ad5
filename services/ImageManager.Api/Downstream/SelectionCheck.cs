namespace ImageManager.Api.Downstream;

/// <summary>The Distribution service's answer about a selector: how many VIMs it chooses that take the image, and the rest per VIM type.</summary>
public sealed record SelectionCheck(int Selected, IReadOnlyList<LeftOutVims> LeftOut);
