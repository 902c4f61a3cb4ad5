using ImageManager.Catalog.Audit;
using ImageManager.Catalog.Images;
using ImageManager.Catalog.Locations;
using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Catalog.Trust;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.BusAccess;
using ImageManager.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Catalog;

public static class CatalogServiceExtensions
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.AddInternalAccess();
        builder.Services.AddOptions<CatalogOptions>()
            .Bind(builder.Configuration.GetSection(CatalogOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var connectionString = builder.Configuration.GetConnectionString("Catalog")
            ?? throw new InvalidOperationException("ConnectionStrings:Catalog is not set: it names the MariaDB database of the catalogue.");

        builder.Services.AddDbContext<CatalogDbContext>((services, options) =>
        {
            var version = services.GetRequiredService<IOptions<CatalogOptions>>().Value.MariaDbVersion;
            options.UseMySql(connectionString, new MariaDbServerVersion(version), mysql => mysql.EnableRetryOnFailure());
        });
        builder.Services.AddHealthChecks().AddDbContextCheck<CatalogDbContext>("mariadb");
        builder.Services.AddExceptionProblem<DbUpdateConcurrencyException>(StatusCodes.Status409Conflict, "Conflict",
            "Another request changed or removed the same record at the same moment; read it again and retry.");

        builder.AddServiceBus("catalog", x =>
        {
            x.AddConsumer<ImageValidatedConsumer>();
            x.AddConsumer<ImageRejectedConsumer>();
            x.AddConsumer<ImageImportFailedConsumer>();
            x.AddConsumer<OnboardImageConsumer>();
            x.AddConsumer<ChangeAuditedConsumer>();
            x.AddConsumer<PackageImageExtractedConsumer>();
            x.AddConsumer<TrustStoreChangedConsumer>();
            x.AddConsumer<VimImageStatesRecordedConsumer, VimImageStatesRecordedConsumerDefinition>();

            // A consumer's failure here is the database's (a unique-key race, a refused update): try again rather than
            // park the message. What the shared retry of every bus already takes (a failover, a timeout, a deadlock the
            // execution strategy gave up on, a broker node lost) is left to it alone, or each of its tries would be tried again.
            x.AddConfigureEndpointsCallback((_, _, endpoint) => endpoint.UseMessageRetry(r =>
            {
                r.Ignore<Exception>(InfrastructureOutage.Caused);
                r.Intervals(200, 1000, 5000, 15000);
            }));
        });

        // SDC onboards over the bus: the one command this service takes from outside Image Manager.
        builder.Services.AddBusCommand<OnboardImage>(CallerRoles.Onboarder, "image.onboard", message => message.OnboardingId.ToString(),
            (message, reason, at) => new ImageOnboardingRefused { OnboardingId = message.OnboardingId, Reason = reason, RefusedAt = at });

        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OutboxDispatcher>());
        builder.Services.AddSingleton<StalledValidationSweep>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StalledValidationSweep>());
        builder.Services.AddSingleton<EndOfLifeSweep>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EndOfLifeSweep>());

        builder.Services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(json =>
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        return builder;
    }

    public static async Task MigrateCatalogDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        await db.Database.MigrateAsync();
    }
}
