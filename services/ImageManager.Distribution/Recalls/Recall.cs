namespace ImageManager.Distribution.Recalls;

/// <summary>
/// What a recall is about (the image, why, what to do, the successor); its progress is the distribution row of kind
/// <c>recall</c> with the same id and its targets (<see cref="Distributions.DistributionState"/>), its work the removal and
/// the successor's distribution it started (<see cref="RecallChild"/>).
/// </summary>
public sealed class Recall
{
    public Guid Id { get; set; }
    public Guid ImageId { get; set; }

    /// <summary><c>remove</c> or <c>replace</c> (<see cref="Contracts.Recalls.RecallActions"/>).</summary>
    public required string Action { get; set; }
    public required string ReasonKind { get; set; }
    public string? CveId { get; set; }

    /// <summary>The reason in the requester's words, sanitised.</summary>
    public string? ReasonText { get; set; }
    public Guid? SuccessorImageId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
