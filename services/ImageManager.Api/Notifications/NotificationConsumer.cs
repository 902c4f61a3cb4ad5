using ImageManager.Api.Downstream;
using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;
using ImageManager.Contracts.Recalls;
using MassTransit;
using Microsoft.Extensions.Caching.Memory;

namespace ImageManager.Api.Notifications;

/// <summary>
/// Turns each lifecycle event into a CloudEvent on its subscribers' topic, for the tenant it concerns. The event is
/// acknowledged only once the broker holds the notification, so none is lost between the two. Events that do not name
/// their tenant have it looked up (the image's owner; the distribution's tenant, remembered a while). Targets' changes
/// come as the batches the Distribution service recorded (<see cref="VimImageStatesRecorded"/>), not one by one.
/// </summary>
public sealed class NotificationConsumer(NotificationBroker notifications, CatalogClient catalog, DistributionClient distributions, IMemoryCache cache) :
    IConsumer<ImageCatalogued>, IConsumer<ImageValidated>, IConsumer<ImageRejected>, IConsumer<ImageUpdated>, IConsumer<ImageDeactivated>,
    IConsumer<ImageReactivated>, IConsumer<ImageDeleted>, IConsumer<ImageTrustWithdrawn>, IConsumer<ImageReachedEndOfLife>, IConsumer<DistributionStarted>,
    IConsumer<VimImageStatesRecorded>, IConsumer<DistributionCompleted>, IConsumer<RecallCompleted>
{
    static readonly TimeSpan RememberTenants = TimeSpan.FromMinutes(10);

    public Task Consume(ConsumeContext<ImageCatalogued> context) => Images(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    public async Task Consume(ConsumeContext<ImageValidated> context) =>
        await Images(context, LifecycleNotifications.Of(IdOf(context), context.Message, await OwnerOfAsync(context.Message.ImageId, context.CancellationToken)));

    public async Task Consume(ConsumeContext<ImageRejected> context) =>
        await Images(context, LifecycleNotifications.Of(IdOf(context), context.Message, await OwnerOfAsync(context.Message.ImageId, context.CancellationToken)));

    public Task Consume(ConsumeContext<ImageUpdated> context) => Images(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    public Task Consume(ConsumeContext<ImageDeactivated> context) => Images(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    public Task Consume(ConsumeContext<ImageReactivated> context) => Images(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    public Task Consume(ConsumeContext<ImageDeleted> context) => Images(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    public Task Consume(ConsumeContext<ImageTrustWithdrawn> context) => Images(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    public Task Consume(ConsumeContext<ImageReachedEndOfLife> context) => Images(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    public Task Consume(ConsumeContext<DistributionStarted> context)
    {
        cache.Set(TenantKey(context.Message.DistributionId), context.Message.Tenant, RememberTenants);
        return Distributions(context, LifecycleNotifications.Of(IdOf(context), context.Message));
    }

    public async Task Consume(ConsumeContext<VimImageStatesRecorded> context)
    {
        var batch = new List<CloudEvent>();
        foreach (var distribution in context.Message.Changes.GroupBy(change => change.DistributionId))
        {
            var tenant = await TenantOfAsync(distribution.Key, context.CancellationToken);
            batch.AddRange(LifecycleNotifications.Of(distribution.Key, distribution.ToList(), tenant));
        }

        // A batch's notifications confirmed together: a few hundred targets' final states cost one wait, not one each.
        await notifications.PublishAllAsync(NotificationTopics.Distribution, batch, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<DistributionCompleted> context) => Distributions(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    public Task Consume(ConsumeContext<RecallCompleted> context) => Distributions(context, LifecycleNotifications.Of(IdOf(context), context.Message));

    Task Images(ConsumeContext context, CloudEvent notification) =>
        notifications.PublishAsync(NotificationTopics.ImageLifecycle, notification, context.CancellationToken);

    Task Distributions(ConsumeContext context, CloudEvent notification) =>
        notifications.PublishAsync(NotificationTopics.Distribution, notification, context.CancellationToken);

    static Guid IdOf(ConsumeContext context) => context.MessageId ?? NewId.NextGuid();

    async Task<string?> OwnerOfAsync(Guid imageId, CancellationToken cancellationToken)
    {
        var image = await catalog.GetImageAsync(imageId, cancellationToken);
        return image.Succeeded ? image.Value!.Owner : null;
    }

    async Task<string?> TenantOfAsync(Guid distributionId, CancellationToken cancellationToken) =>
        cache.TryGetValue(TenantKey(distributionId), out string? tenant)
            ? tenant
            : cache.Set(TenantKey(distributionId), await distributions.TenantOfAsync(distributionId, cancellationToken), RememberTenants);

    static string TenantKey(Guid distributionId) => $"distribution-tenant:{distributionId:N}";
}
