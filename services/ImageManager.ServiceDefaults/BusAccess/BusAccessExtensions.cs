using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.ServiceDefaults.BusAccess;

public static class BusAccessExtensions
{
    /// <summary>
    /// Lets outside senders whose role includes <paramref name="leastRole"/> send <typeparamref name="T"/>; a refused
    /// sender gets <paramref name="refusal"/> (message, reason, time) back.
    /// </summary>
    public static IServiceCollection AddBusCommand<T>(this IServiceCollection services, string leastRole, string auditAction,
        Func<T, string?> resourceId, Func<T, string, DateTimeOffset, object> refusal)
        where T : class =>
        services.Configure<BusCommandRules>(rules => rules.Add(new BusCommandRule(
            typeof(T),
            leastRole,
            auditAction,
            context => resourceId(((ConsumeContext<T>)context).Message),
            (context, reason, at) => refusal(((ConsumeContext<T>)context).Message, reason, at))));
}
