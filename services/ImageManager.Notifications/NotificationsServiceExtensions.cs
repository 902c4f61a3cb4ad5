using ImageManager.Notifications.Intake;
using ImageManager.Notifications.Persistence;
using ImageManager.Notifications.Subscriptions;
using ImageManager.Notifications.Webhooks;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications;

public static class NotificationsServiceExtensions
{
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.AddInternalAccess();
        builder.Services.AddOptions<WebhookOptions>()
            .Bind(builder.Configuration.GetSection(WebhookOptions.Section))
            .ValidateDataAnnotations()
            .Validate(options => options.FirstRetryDelay <= options.MaxRetryDelay, "Webhooks:FirstRetryDelay cannot be longer than Webhooks:MaxRetryDelay.")
            .ValidateOnStart();

        var connectionString = builder.Configuration.GetConnectionString("Notifications")
            ?? throw new InvalidOperationException("ConnectionStrings:Notifications is not set: it names the PostgreSQL database of subscriptions and deliveries.");
        builder.Services.AddPooledDbContextFactory<NotificationsDbContext>(options => options.UseNpgsql(connectionString));
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContext());
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<NotificationsDbContext>("postgresql")
            .AddCheck<IntakeHealthCheck>("notification-intake");
        builder.Services.AddExceptionProblem<DbUpdateConcurrencyException>(StatusCodes.Status409Conflict, "Conflict",
            "Another request changed or removed the same record at the same moment; read it again and retry.");

        var keys = builder.Configuration["DataProtection:KeysDirectory"]
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".imagemanager", "keys");
        SubscriptionSecretProtector.Register(builder.Services, new DirectoryInfo(keys), builder.Configuration); // keys are in the database; the directory only as an import source

        builder.Services.AddSingleton<DeliverySignal>();
        // One client for the service's life: its handler is the connection pool, and PooledConnectionLifetime renews DNS.
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<WebhookOptions>>();
            return new WebhookSender(new HttpClient(WebhookSender.CreateHandler(options.Value)) { Timeout = Timeout.InfiniteTimeSpan }, options);
        });
        builder.Services.AddSingleton<NotificationRecorder>();
        builder.Services.AddSingleton<NotificationGroupRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NotificationGroupRecorder>());
        builder.Services.AddSingleton<IntakeBindings>();
        builder.Services.AddSingleton<SubscribedTypesBinder>();
        builder.Services.AddSingleton<IntakeBindingKeeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IntakeBindingKeeper>());
        builder.AddServiceBus("notifications", x => x.AddConsumer<NotificationIntakeConsumer, NotificationIntakeConsumerDefinition>());
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }

    public static async Task MigrateNotificationsDatabaseAsync(this WebApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<NotificationsDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }
}
