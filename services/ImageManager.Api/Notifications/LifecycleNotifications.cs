using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;

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

    public static CloudEvent Of(Guid messageId, ImageDeleted e) => Image(messageId, "deleted", e.ImageId, e.DeletedAt, e.Owner, e);

    public static CloudEvent Of(Guid messageId, DistributionStarted e) => Distribution(messageId, "started", e.DistributionId, e.StartedAt, e.Tenant, e);

    public static CloudEvent Of(Guid messageId, VimImageStateChanged e, string? tenant) =>
        Distribution(messageId, "target.changed", e.DistributionId, e.ChangedAt, tenant, e);

    public static CloudEvent Of(Guid messageId, DistributionCompleted e) => Distribution(messageId, "completed", e.DistributionId, e.CompletedAt, e.Tenant, e);
}
