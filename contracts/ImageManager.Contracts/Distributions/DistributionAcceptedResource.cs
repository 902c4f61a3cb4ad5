namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Answer of <c>POST /api/v1/distributions</c> (202): the new distribution's id, the VIMs a selector chose that do not
/// take the image, and the estimate of its duration made before it started.
/// </summary>
/// <param name="Id">The new distribution's id, named as every other creation answer names it (<c>POST /images</c> answers <c>id</c>).</param>
public sealed record DistributionAcceptedResource(Guid Id, LeftOutResource? LeftOut = null, DistributionEstimateResource? Estimate = null)
{
    /// <summary>Deprecated: the same value as <c>id</c>, the name this answer had before, kept for the clients that read it; read <c>id</c>.</summary>
    public Guid DistributionId => Id;
}
