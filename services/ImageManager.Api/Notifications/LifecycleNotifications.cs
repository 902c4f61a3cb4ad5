using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;
using ImageManager.Contracts.Recalls;

namespace ImageManager.Api.Notifications;

/// <summary>
/// What subscribers are told of each lifecycle event: its CloudEvents type (<c>org.onap.imagemanager.image.*</c>,
/// <c>org.onap.imagemanager.distribution.*</c>), subject (the image or distribution id), time and data (the event's
/// fields). The id is the bus message's id, so a redelivered event keeps its id and subscribers can drop repeats.
/// </summary>
public static class LifecycleNotifications
{
    const string TypePrefix = "org.onap.imagemanager.";
    const string ImagesSource = "/imagemanager/images";
    const string DistributionsSource = "/imagemanager/distributions";

    public static CloudEvent Image(Guid messageId, string what, Guid imageId, DateTimeOffset time, string? owner, object data) =>
        new(messageId.ToString(), ImagesSource, $"{TypePrefix}image.{what}", imageId.ToString(), time, owner, data);

    public static CloudEvent Distribution(Guid messageId, string what, Guid distributionId, DateTimeOffset time, string? tenant, object data) =>
        new(messageId.ToString(), DistributionsSource, $"{TypePrefix}distribution.{what}", distributionId.ToString(), time, tenant, data);

    public static CloudEvent Of(Guid messageId, ImageCatalogued e) => Image(messageId, "catalogued", e.ImageId, e.CataloguedAt, e.Owner, e);

    public static CloudEvent Of(Guid messageId, ImageValidated e, string? owner) => Image(messageId, "validated", e.ImageId, e.ValidatedAt, owner, e);

    public static CloudEvent Of(Guid messageId, ImageRejected e, string? owner) => Image(messageId, "rejected", e.ImageId, e.RejectedAt, owner, e);

    public static CloudEvent Of(Guid messageId, ImageUpdated e) => Image(messageId, "updated", e.ImageId, e.UpdatedAt, e.Owner, e);

    public static CloudEvent Of(Guid messageId, ImageDeactivated e) => Image(messageId, "deactivated", e.ImageId, e.DeactivatedAt, e.Owner, e);

    public static CloudEvent Of(Guid messageId, ImageReactivated e) => Image(messageId, "reactivated", e.ImageId, e.ReactivatedAt, e.Owner, e);

    public static CloudEvent Of(Guid messageId, ImageTrustWithdrawn e) => Image(messageId, "trust.withdrawn", e.ImageId, e.WithdrawnAt, e.Owner, e);

    public static CloudEvent Of(Guid messageId, ImageReachedEndOfLife e) => Image(messageId, "end-of-life.reached", e.ImageId, e.ReachedAt, e.Owner, e);

    public static CloudEvent Of(Guid messageId, ImageDeleted e) => Image(messageId, "deleted", e.ImageId, e.DeletedAt, e.Owner, e);

    public static CloudEvent Of(Guid messageId, DistributionStarted e) => Distribution(messageId, "started", e.DistributionId, e.StartedAt, e.Tenant, e);

    /// <summary>
    /// What subscribers are told of one distribution's targets in a batch the Distribution service recorded: one
    /// <c>distribution.progress</c> with every changed target, then a <c>distribution.target.changed</c> for each target
    /// that became final. Intermediate states travel only in the progress event: one notification per distribution per
    /// batch, not one per target per state.
    /// </summary>
    public static IEnumerable<CloudEvent> Of(Guid distributionId, IReadOnlyList<VimImageStateChanged> changes, string? tenant)
    {
        var targets = changes.OrderBy(c => c.VimId, StringComparer.Ordinal).ToList();
        var content = string.Join('|', targets.Select(c => FormattableString.Invariant($"{c.VimId},{c.Attempt},{c.State},{c.BytesSent}")));
        yield return Distribution(NotificationIds.Of($"progress|{distributionId}|{content}"), "progress", distributionId, targets.Max(c => c.ChangedAt), tenant,
            new DistributionProgress { DistributionId = distributionId, ImageId = targets[0].ImageId, Targets = targets });
        foreach (var final in targets.Where(c => TargetStates.IsFinal(c.State)))
        {
            yield return Distribution(NotificationIds.Of(FormattableString.Invariant($"target|{distributionId}|{final.VimId}|{final.Attempt}|{final.State}")),
                "target.changed", distributionId, final.ChangedAt, tenant, final);
        }
    }

    public static CloudEvent Of(Guid messageId, DistributionCompleted e) => Distribution(messageId, "completed", e.DistributionId, e.CompletedAt, e.Tenant, e);

    /// <summary>A recall finished (<c>org.onap.imagemanager.recall.completed</c>, subject the recall id): operators' only, as recalls are.</summary>
    public static CloudEvent Of(Guid messageId, RecallCompleted e) =>
        new(messageId.ToString(), DistributionsSource, $"{TypePrefix}recall.completed", e.RecallId.ToString(), e.CompletedAt, null, e);
}
