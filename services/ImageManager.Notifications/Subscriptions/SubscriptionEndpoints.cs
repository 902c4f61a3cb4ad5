using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Webhooks;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ImageManager.Contracts.Subscriptions;

namespace ImageManager.Notifications.Subscriptions;

/// <summary>
/// Webhook subscriptions, as the Api forwards them. A subscription belongs to its creator's tenant and receives that
/// tenant's notifications; one made by an operator receives every tenant's, as an operator's poll does. Callers see
/// their tenant's subscriptions; operators see all.
/// </summary>
public static class SubscriptionEndpoints
{
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 256;
    const int DefaultPageSize = 100;
    const int MaxPageSize = 1000;

    public static WebApplication MapSubscriptionEndpoints(this WebApplication app)
    {
        var subscriptions = app.MapGroup("/api/v1/subscriptions");
        subscriptions.MapPost("/", CreateAsync);
        subscriptions.MapGet("/", ListAsync);
        subscriptions.MapGet("/{id:guid}", GetAsync);
        subscriptions.MapPatch("/{id:guid}", ChangeAsync);
        subscriptions.MapDelete("/{id:guid}", DeleteAsync);
        subscriptions.MapPost("/{id:guid}/resume", ResumeAsync);
        subscriptions.MapGet("/{id:guid}/deliveries", DeliveriesAsync);
        return app;
    }

    static async Task<IResult> CreateAsync(SubscriptionRequest request, HttpRequest http, NotificationsDbContext db, SubscriptionSecretProtector secrets,
        SubscribedTypesBinder binder, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = ForwardedCaller.From(http);
        if (caller is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No caller", detail: "A subscription is made for a caller; the Api names it.");
        }

        var errors = Check(request, options.Value, creating: true);
        if (errors is not null)
        {
            return errors;
        }

        var now = clock.GetUtcNow();
        var subscription = new Subscription
        {
            Id = Guid.CreateVersion7(now),
            Url = request.Url!,
            Events = request.Events?.Distinct(StringComparer.Ordinal).ToArray() ?? [],
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description,
            Tenant = caller.Tenant,
            AllTenants = caller.SeesEveryTenant,
            ProtectedSecret = secrets.Protect(request.Secret!),
            CreatedBy = caller.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // Its types are bound before it is stored: every event published from its creation on reaches the intake.
        return await binder.ChangeAsync(db, subscription.Events, async () =>
        {
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync(cancellationToken);
            return Results.Created($"/api/v1/subscriptions/{subscription.Id}", SubscriptionResource.From(subscription));
        }, cancellationToken);
    }

    static async Task<IResult> ListAsync(HttpRequest http, NotificationsDbContext db, int? limit, string? marker, CancellationToken cancellationToken)
    {
        var (pageSize, after, problem) = Page(limit, marker);
        if (problem is not null)
        {
            return problem;
        }

        var page = await Visible(db.Subscriptions.AsNoTracking(), http)
            .Where(s => s.Sequence > after)
            .OrderBy(s => s.Sequence)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? page[pageSize - 1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Results.Ok(new SubscriptionListResource(page.Take(pageSize).Select(SubscriptionResource.From).ToList(), next));
    }

    static async Task<IResult> GetAsync(Guid id, HttpRequest http, NotificationsDbContext db, CancellationToken cancellationToken) =>
        await Visible(db.Subscriptions.AsNoTracking(), http).SingleOrDefaultAsync(s => s.Id == id, cancellationToken) is { } subscription
            ? Results.Ok(SubscriptionResource.From(subscription))
            : NotFound(id);

    static async Task<IResult> ChangeAsync(Guid id, SubscriptionRequest request, HttpRequest http, NotificationsDbContext db, SubscriptionSecretProtector secrets,
        SubscribedTypesBinder binder, IOptions<WebhookOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var subscription = await Visible(db.Subscriptions, http).SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return NotFound(id);
        }

        if (Check(request, options.Value, creating: false) is { } errors)
        {
            return errors;
        }

        subscription.Url = request.Url ?? subscription.Url;
        subscription.Events = request.Events?.Distinct(StringComparer.Ordinal).ToArray() ?? subscription.Events;
        if (request.Description is not null)
        {
            subscription.Description = request.Description.Length == 0 ? null : request.Description;
        }

        if (request.Secret is not null)
        {
            subscription.ProtectedSecret = secrets.Protect(request.Secret);
        }

        subscription.UpdatedAt = clock.GetUtcNow();
        if (request.Events is null)
        {
            await db.SaveChangesAsync(cancellationToken);
            return Results.Ok(SubscriptionResource.From(subscription));
        }

        // New types bound before the change is stored, those no longer wanted unbound after.
        return await binder.ChangeAsync(db, subscription.Events, async () =>
        {
            await db.SaveChangesAsync(cancellationToken);
            return Results.Ok(SubscriptionResource.From(subscription));
        }, cancellationToken);
    }

    /// <summary>Gone with its deliveries; a type that no other subscription wants stops reaching the intake.</summary>
    static Task<IResult> DeleteAsync(Guid id, HttpRequest http, NotificationsDbContext db, SubscribedTypesBinder binder, CancellationToken cancellationToken) =>
        binder.ChangeAsync(db, null, async () =>
            await Visible(db.Subscriptions, http).Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken) == 0 ? NotFound(id) : Results.NoContent(),
            cancellationToken);

    /// <summary>Active again, with its failure count cleared; what waited while it was suspended is sent now.</summary>
    static async Task<IResult> ResumeAsync(Guid id, HttpRequest http, NotificationsDbContext db, DeliverySignal signal, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var subscription = await Visible(db.Subscriptions, http).SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (subscription is null)
        {
            return NotFound(id);
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        subscription.State = SubscriptionStates.Active;
        subscription.ConsecutiveFailures = 0;
        subscription.SuspendedAt = null;
        subscription.SuspendedReason = null;
        subscription.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await db.Deliveries.Where(d => d.SubscriptionId == id && d.State == DeliveryStates.Pending && d.NextAttemptAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.NextAttemptAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Notify();
        return Results.Ok(SubscriptionResource.From(subscription));
    }

    static async Task<IResult> DeliveriesAsync(Guid id, HttpRequest http, NotificationsDbContext db, string? state, int? limit, string? marker,
        CancellationToken cancellationToken)
    {
        if (!await Visible(db.Subscriptions, http).AnyAsync(s => s.Id == id, cancellationToken))
        {
            return NotFound(id);
        }

        if (state is not null && !DeliveryStates.All.Contains(state))
        {
            var detail = $"state '{state}' is not a delivery state; the states are {string.Join(", ", DeliveryStates.All)}.";
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["state"] = [detail] }, detail: detail);
        }

        var (pageSize, before, problem) = Page(limit, marker);
        if (problem is not null)
        {
            return problem;
        }

        // Newest first: what happened last is what a person looks for.
        var query = db.Deliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        query = state is null ? query : query.Where(d => d.State == state);
        query = marker is null ? query : query.Where(d => d.Sequence < before);
        var page = await query.OrderByDescending(d => d.Sequence).Take(pageSize + 1).ToListAsync(cancellationToken);
        var next = page.Count > pageSize ? page[pageSize - 1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Results.Ok(new DeliveryListResource(page.Take(pageSize).Select(DeliveryResource.From).ToList(), next));
    }

    static IQueryable<Subscription> Visible(IQueryable<Subscription> subscriptions, HttpRequest http)
    {
        var caller = ForwardedCaller.From(http);
        return caller is null || caller.SeesEveryTenant ? subscriptions : subscriptions.Where(s => s.Tenant == caller.Tenant);
    }

    static IResult? Check(SubscriptionRequest request, WebhookOptions options, bool creating)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (creating || request.Url is not null)
        {
            if (WebhookAddresses.ProblemWith(request.Url, options.AllowPrivateAddresses) is { } url)
            {
                errors["url"] = [url];
            }
            else if (request.Url!.Length > 2048)
            {
                errors["url"] = ["url is longer than 2048 characters."];
            }
            else if (RequestText.ProblemWith("url", request.Url) is { } urlProblem)
            {
                errors["url"] = [urlProblem];
            }
        }

        if ((creating || request.Secret is not null) && request.Secret is not { Length: >= MinSecretLength and <= MaxSecretLength })
        {
            errors["secret"] = [$"secret must be {MinSecretLength} to {MaxSecretLength} characters: it keys the HMAC-SHA256 signature of each delivery."];
        }

        if (request.Events is { } events && EventFilter.ProblemWith(events) is { } filter)
        {
            errors["events"] = [filter];
        }

        if (request.Description is { Length: > 500 })
        {
            errors["description"] = ["description is longer than 500 characters."];
        }
        else if (RequestText.ProblemWith("description", request.Description, lineBreaksAllowed: true) is { } problem)
        {
            errors["description"] = [problem];
        }

        return errors.Count == 0 ? null : Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
    }

    /// <summary>The page size and the marker (a list's <c>next</c>), or why they cannot be used.</summary>
    static (int Size, long Marker, IResult? Problem) Page(int? limit, string? marker)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            var detail = $"limit must be 1 to {MaxPageSize}.";
            return (0, 0, Results.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [detail] }, detail: detail));
        }

        if (marker is not null && !long.TryParse(marker, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            const string detail = "marker is the 'next' value of the previous page, as it is.";
            return (0, 0, Results.ValidationProblem(new Dictionary<string, string[]> { ["marker"] = [detail] }, detail: detail));
        }

        return (limit ?? DefaultPageSize, marker is null ? 0 : long.Parse(marker, System.Globalization.CultureInfo.InvariantCulture), null);
    }

    static IResult NotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Subscription not found", detail: $"There is no subscription {id} that you can see.");
}
