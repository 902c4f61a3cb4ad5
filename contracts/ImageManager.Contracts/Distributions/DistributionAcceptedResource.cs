using System.ComponentModel;
using System.Text.Json.Serialization;

namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Answer of <c>POST /api/v1/distributions</c> (202): the new distribution's id, the VIMs a selector chose that do not
/// take the image, and the estimate of its duration made before it started.
/// </summary>
public sealed record DistributionAcceptedResource(
    [property: Description("Deprecated: the same value as id, kept for clients written before id was added; read id.")] Guid DistributionId,
    LeftOutResource? LeftOut = null,
    DistributionEstimateResource? Estimate = null)
{
    /// <summary>The new distribution's id, named as every other creation answer names it (<c>POST /images</c> answers <c>id</c>).</summary>
    [JsonPropertyOrder(-1)]
    [Description("The new distribution's id, as GET /distributions/{id} takes it.")]
    public Guid Id => DistributionId;
}
