using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Vims;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// What became of a request to distribute: accepted (written with its targets; <see cref="Existed"/> when a repeat of
/// the same request found it written already), or refused with <see cref="Refusal"/>. <see cref="LeftOut"/> counts the VIMs
/// a selector chose whose type does not take the image; <see cref="Estimate"/> is the duration estimated before the start.
/// </summary>
public sealed record DistributionAcceptance(
    Guid DistributionId, DistributionRefusal? Refusal, bool Existed = false, IReadOnlyList<LeftOutVims>? LeftOut = null, DistributionEstimateResource? Estimate = null)
{
    public bool Accepted => Refusal is null;
}
