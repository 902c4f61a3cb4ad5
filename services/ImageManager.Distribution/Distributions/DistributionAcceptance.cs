using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// What became of a request to distribute: accepted (written with its targets; <see cref="Existed"/> when a repeat of
/// the same request found it written already), or refused with <see cref="Refusal"/>. <see cref="LeftOut"/> counts the VIMs
/// a selector chose whose type does not take the image.
/// </summary>
public sealed record DistributionAcceptance(Guid DistributionId, DistributionRefusal? Refusal, bool Existed = false, IReadOnlyList<LeftOutVims>? LeftOut = null)
{
    public bool Accepted => Refusal is null;
}
