using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Regions;
using ImageManager.ServiceDefaults.Access;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Distributions;

/// <summary>
/// What a test harness needs to create distributions as the service does: the creation, its consumers, and a Catalog
/// client that these tests never reach (their requests are Image Manager's own, which the Catalog is not asked about).
/// </summary>
public static class DistributionCreationRegistration
{
    public static IServiceCollection AddDistributionCreation(this IServiceCollection services)
    {
        services.AddSingleton(new VimTypeFit([]));
        services.Configure<InternalAccessOptions>(options => options.ServiceToken = new string('t', 32));
        services.AddHttpClient<CatalogImages>(http => http.BaseAddress = new Uri("http://127.0.0.1:9/"));
        services.AddScoped<DistributionEstimator>();
        services.AddScoped<DistributionCreation>();
        // The start routes each upload to its queue (central here: these tests register no hub).
        services.AddOptions<HubOptions>();
        services.AddSingleton<HubDirectory>();
        services.AddSingleton<UploadRouting>();
        return services;
    }

    public static void AddDistributionCreationConsumers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<DistributeRequestedConsumer, DistributeRequestedConsumerDefinition>();
        x.AddConsumer<DistributionStartRecordedConsumer>();
    }
}
