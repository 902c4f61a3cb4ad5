namespace ImageManager.Contracts.Fleet;

/// <summary>
/// One region's VIMs by the state of the image there, from the latest target of the image on each VIM:
/// present (active, or found there), in progress, failed, drifted, and missing (never sent, cancelled or removed).
/// </summary>
public sealed record ImageRegionPresence(string Region, int Vims, int Present, int InProgress, int Failed, int Drifted, int Missing);
