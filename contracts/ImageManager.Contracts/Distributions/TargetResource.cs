namespace ImageManager.Contracts.Distributions;

/// <summary>
/// One image-VIM pair of a distribution, as the status API shows it. <see cref="BytesSent"/> follows the bytes while they
/// flow (written every second or so); <see cref="Progress"/> is 1 once the target is final, else the share of the image's
/// bytes sent (at most 0.99 until it is final); <see cref="EtaSeconds"/>, while it uploads, is the bytes left at the
/// transfer's pace so far (null until it has one), and 0 once final. A VIM that pulls through its region's hub names it in
/// <see cref="Hub"/>; one that pulled from the centre although its region has a hub says why in <see cref="HubFallback"/>.
/// </summary>
public sealed record TargetResource(
    string VimId, string State, int Attempt, string? VimImageId, string? LastError, long BytesSent, double Progress, double? EtaSeconds, DateTimeOffset UpdatedAt,
    string? Hub = null, string? HubFallback = null);
