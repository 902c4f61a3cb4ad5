using ImageManager.Api.Downstream;
using ImageManager.BlobStorage;
using ImageManager.ServiceDefaults;
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

        builder.Services.AddHttpClient<CatalogClient>((services, http) =>
            http.BaseAddress = services.GetRequiredService<IOptions<DownstreamOptions>>().Value.Catalog);
        builder.Services.AddHttpClient<DistributionClient>((services, http) =>
            http.BaseAddress = services.GetRequiredService<IOptions<DownstreamOptions>>().Value.Distribution);

        builder.Services.AddBlobStore(builder.Configuration);
        builder.Services.AddOpenApi("v1");

        // The Api publishes and consumes nothing: it needs the bus only to publish.
        builder.AddServiceBus("api", _ => { });
        return builder;
    }
}
