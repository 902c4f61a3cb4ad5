using ImageManager.Api.Downstream;
using ImageManager.ServiceDefaults.Access;
using ImageManager.Contracts.Subscriptions;

namespace ImageManager.Api.Subscriptions;

/// <summary>
/// Webhook subscriptions, kept and delivered by the Notifications service. A subscription is the pushed form of polling
/// <c>/events</c>: it receives only what its tenant may read, so a viewer may make one.
/// </summary>
public static class SubscriptionEndpoints
{
    public static WebApplication MapSubscriptionEndpoints(this WebApplication app)
    {
        var subscriptions = app.MapGroup("/api/v1/subscriptions").WithTags("Subscriptions").RequireAuthorization(CallerRoles.Viewer);
        subscriptions.MapPost("/", Forward).WithName("createSubscription")
            .WithSummary("Subscribe a webhook: url (http or https), events (CloudEvents types, or prefixes ending in '*'; none: every type), secret (16 to 256 characters, never shown again), description.")
            .WithDescription("Each notification the subscription may see and wants is POSTed to url as a CloudEvent (application/cloudevents+json), with X-ImageManager-Signature: sha256=<hex HMAC-SHA256 of the body keyed with the secret>, X-ImageManager-Delivery and X-ImageManager-Attempt. A 2xx answer within the delivery timeout delivers it; anything else is retried with doubling waits, and a subscription that keeps failing is suspended.")
            .Accepts<SubscriptionRequest>("application/json").Produces<SubscriptionResource>(StatusCodes.Status201Created).ProducesValidationProblem();
        subscriptions.MapGet("/", Forward).WithName("listSubscriptions")
            .WithSummary("List the webhook subscriptions you can see (your tenant's; operators: all), oldest first; paged with limit (1 to 1000, default 100) and marker.")
            .Produces<SubscriptionListResource>().ProducesValidationProblem();
        subscriptions.MapGet("/{id:guid}", Forward).WithName("getSubscription").WithSummary("Show one subscription: its state (active or suspended, and why), its failures in a row; never its secret.")
            .Produces<SubscriptionResource>().ProducesProblem(StatusCodes.Status404NotFound);
        subscriptions.MapPatch("/{id:guid}", Forward).WithName("updateSubscription").WithSummary("Change a subscription's url, events, secret or description; the members given replace what there is.")
            .Accepts<SubscriptionRequest>("application/json").Produces<SubscriptionResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        subscriptions.MapDelete("/{id:guid}", Forward).WithName("deleteSubscription").WithSummary("Delete a subscription and its delivery records; nothing more is sent to it.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        subscriptions.MapPost("/{id:guid}/resume", Forward).WithName("resumeSubscription").WithSummary("Resume a suspended subscription: its failure count is cleared and what waited meanwhile is sent now.")
            .Produces<SubscriptionResource>().ProducesProblem(StatusCodes.Status404NotFound);
        subscriptions.MapGet("/{id:guid}/deliveries", Forward).WithName("listSubscriptionDeliveries")
            .WithSummary("A subscription's deliveries, newest first: event, state (pending, delivered, failed), attempts, last status and error, next attempt; by state; paged with limit and marker.")
            .Produces<DeliveryListResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, NotificationsClient notifications) =>
        DownstreamForwarder.ForwardAsync(http, notifications.Http, "notifications");
}
