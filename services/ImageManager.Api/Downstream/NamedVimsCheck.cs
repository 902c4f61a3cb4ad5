namespace ImageManager.Api.Downstream;

/// <summary>The Distribution service's answer about the VIMs a distribution names: those not registered, those that do not take the image.</summary>
public sealed record NamedVimsCheck(IReadOnlyList<string> Unknown, IReadOnlyList<RefusedVim> Refused);
