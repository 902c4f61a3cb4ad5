namespace ImageManager.Contracts.Distributions;

/// <summary>
/// Command to the distribution service: delete an image from these VIMs (before it leaves the catalogue). It starts a
/// distribution of kind <c>removal</c>, tracked like any other: each target goes <c>pending → removing → removed</c>
/// (or <c>failed</c> after its retries), reported as <see cref="VimImageStateChanged"/> with <see cref="RemovalId"/>
/// as its distribution id, and one <see cref="DistributionCompleted"/> ends it.
/// </summary>
public record RemoveImageFromVims
{
    public required Guid RemovalId { get; init; }
    public required Guid ImageId { get; init; }
    public required IReadOnlyList<VimImageReference> Targets { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>
    /// False (a purge: the image is leaving the catalogue): the image is withdrawn first, so no upload of it starts or
    /// finishes any more, its waiting targets are cancelled, and every copy Image Manager recorded for it is a target,
    /// whatever <see cref="Targets"/> names. True: only the named (and selected) VIMs, and the image stays distributable.
    /// </summary>
    public bool KeepImage { get; init; }

    /// <summary>More target VIMs, chosen as a distribution chooses them.</summary>
    public VimSelector? Selector { get; init; }

    /// <summary>Whose removal it is (the caller's tenant); null for the catalogue's own purges (operators only).</summary>
    public string? Tenant { get; init; }
}
