using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ImageManager.ServiceDefaults.Access;

public static class AccessExtensions
{
    /// <summary>Binds and checks the service token at start: a service behind the Api never runs open.</summary>
    public static IHostApplicationBuilder AddInternalAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<InternalAccessOptions>()
            .Bind(builder.Configuration.GetSection(InternalAccessOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }

    /// <summary>For the services behind the Api: only requests with the service token get through (health checks aside).</summary>
    public static WebApplication UseServiceToken(this WebApplication app)
    {
        app.UseMiddleware<ServiceTokenMiddleware>();
        return app;
    }
}
