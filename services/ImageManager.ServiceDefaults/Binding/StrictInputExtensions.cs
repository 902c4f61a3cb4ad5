using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.ServiceDefaults.Binding;

/// <summary>
/// Input held to the contract in every service: a JSON member that no field of the body's type takes is refused (by
/// name), not silently dropped; every binding failure is thrown (also outside Development) and answered by
/// <see cref="BindingProblemHandler"/>; a route that does not fit is explained (<see cref="RouteMismatchCheck"/>); a
/// problem that still has no detail gets one (<see cref="Problems.ProblemDetailFallback"/>).
/// </summary>
public static class StrictInputExtensions
{
    public static IServiceCollection AddStrictInput(this IServiceCollection services)
    {
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(json =>
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BindingProblemHandler>();
        return services;
    }

    /// <summary>After routing, before access control (see <see cref="RouteMismatchCheck"/>).</summary>
    public static WebApplication UseRouteMismatchCheck(this WebApplication app)
    {
        app.UseMiddleware<RouteMismatchCheck>();
        return app;
    }
}
