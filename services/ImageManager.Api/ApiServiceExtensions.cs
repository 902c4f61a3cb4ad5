using ImageManager.Api.Access;
using ImageManager.Api.Budgets;
using ImageManager.Api.Images;
using ImageManager.Api.Notifications;
using ImageManager.Api.OpenApi;
using ImageManager.Api.Downstream;
using ImageManager.Api.Imports;
using ImageManager.Api.Protection;
using ImageManager.BlobStorage;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ImageManager.Api;

public static class ApiServiceExtensions
{
    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DownstreamOptions>()
            .Bind(builder.Configuration.GetSection(DownstreamOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AddInternalAccess();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ServiceTokenHandler>();
        builder.Services.AddHttpClient<CatalogClient>((services, http) =>
                http.BaseAddress = services.GetRequiredService<IOptions<DownstreamOptions>>().Value.Catalog)
            .AddHttpMessageHandler<ServiceTokenHandler>()
            .AddResilienceHandler(DownstreamReadRetry.Name, DownstreamReadRetry.Configure);
        builder.Services.AddHttpClient<DistributionClient>((services, http) =>
                http.BaseAddress = services.GetRequiredService<IOptions<DownstreamOptions>>().Value.Distribution)
            .AddHttpMessageHandler<ServiceTokenHandler>()
            .AddResilienceHandler(DownstreamReadRetry.Name, DownstreamReadRetry.Configure);
        builder.Services.AddHttpClient<NotificationsClient>((services, http) =>
                http.BaseAddress = services.GetRequiredService<IOptions<DownstreamOptions>>().Value.Notifications)
            .AddHttpMessageHandler<ServiceTokenHandler>()
            .AddResilienceHandler(DownstreamReadRetry.Name, DownstreamReadRetry.Configure);
        builder.AddCallerAccess();

        builder.Services.AddBlobStore(builder.Configuration).AddResumableUploadSweep();
        builder.AddRequestProtection();

        builder.Services.AddOptions<ImportOptions>()
            .Bind(builder.Configuration.GetSection(ImportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(WebDownloader.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(15) });
        builder.Services.AddSingleton<WebDownloader>();
        builder.AddApiDocument();

        builder.Services.AddOptions<NotificationOptions>()
            .Bind(builder.Configuration.GetSection(NotificationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<NotificationBroker>();
        builder.Services.AddSingleton<PullBudgets>();
        builder.Services.AddHostedService(services => services.GetRequiredService<PullBudgets>());
        builder.Services.AddSingleton<ServedBytes>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ServedBytes>());

        // Imports run here: like uploads, they bring bytes into the blob store. Subscribers' notifications are made here.
        builder.AddServiceBus("api", x =>
        {
            x.AddConsumer<ImportImageConsumer, ImportImageConsumerDefinition>();
            x.AddConsumer<AssembleImageUploadConsumer, AssembleImageUploadConsumerDefinition>();
            x.AddConsumer<ImageDeletedConsumer>();
            x.AddConsumer<NotificationConsumer, NotificationConsumerDefinition>();
        });
        return builder;
    }
}
