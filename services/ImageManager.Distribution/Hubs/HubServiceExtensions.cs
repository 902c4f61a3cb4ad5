namespace ImageManager.Distribution.Hubs;

public static class HubServiceExtensions
{
    /// <summary>Regional hubs: the registry's view, their health, and the choice of a pulling VIM's URL.</summary>
    public static IHostApplicationBuilder AddHubs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HubOptions>()
            .Bind(builder.Configuration.GetSection(HubOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<HubDirectory>();
        builder.Services.AddSingleton<HubHealth>();
        builder.Services.AddSingleton<HubRoutes>();
        builder.Services.AddSingleton<HubWays>();
        builder.Services.AddHostedService(services => services.GetRequiredService<HubWays>());
        // Its own timeout per check (HubOptions.HealthTimeout); no retries: the next check is a few seconds away.
        builder.Services.AddHttpClient(HubHealth.ClientName, (services, http) => http.Timeout = Timeout.InfiniteTimeSpan);
        return builder;
    }
}
