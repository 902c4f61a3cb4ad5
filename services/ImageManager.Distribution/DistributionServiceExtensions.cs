using ImageManager.BlobStorage;
using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Deactivations;
using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Drivers.Keystone;
using ImageManager.Distribution.Drivers.Oci;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Recalls;
using ImageManager.Distribution.Receipts;
using ImageManager.Distribution.Reconciliation;
using ImageManager.Distribution.Regions;
using ImageManager.Distribution.Removals;
using ImageManager.Distribution.Scheduling;
using ImageManager.Distribution.Uploads;
using ImageManager.Distribution.Vims;
using ImageManager.Distribution.Vims.Aai;
using ImageManager.Distribution.Vims.Bulk;
using ImageManager.ServiceDefaults;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.BusAccess;
using ImageManager.ServiceDefaults.Problems;
using MassTransit;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace ImageManager.Distribution;

public static class DistributionServiceExtensions
{
    public static IHostApplicationBuilder AddDistribution(this IHostApplicationBuilder builder)
    {
        builder.AddInternalAccess();
        builder.Services.AddOptions<DistributionOptions>()
            .Bind(builder.Configuration.GetSection(DistributionOptions.Section))
            .ValidateDataAnnotations()
            .Validate(options => options.ImageDownloadBaseUrl is null or { IsAbsoluteUri: true, Scheme: "http" or "https" },
                "Distribution:ImageDownloadBaseUrl is the Api's URL as the VIMs reach it: an absolute http or https URL.")
            .Validate(options => options.Region is null || RegionalQueues.Fits(options.Region),
                "Distribution:Region names the region this replica serves: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
            .Validate(options => options.AllowedPrivateVimNetworks.All(network => System.Net.IPNetwork.TryParse(network, out _)),
                "Distribution:AllowedPrivateVimNetworks holds networks in CIDR form (e.g. 10.20.0.0/16).")
            .ValidateOnStart();
        builder.Services.AddOptions<RecallPolicyOptions>()
            .Bind(builder.Configuration.GetSection(RecallPolicyOptions.Section))
            .Validate(options => Enum.IsDefined(options.OnTrustWithdrawn) && Enum.IsDefined(options.OnEndOfLife),
                "Recalls:OnTrustWithdrawn and Recalls:OnEndOfLife are None, Deactivate or Remove.")
            .ValidateOnStart();
        builder.Services.AddOptions<SchedulerOptions>().Bind(builder.Configuration.GetSection(SchedulerOptions.Section));
        builder.Services.AddOptions<ReconciliationOptions>()
            .Bind(builder.Configuration.GetSection(ReconciliationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var connectionString = builder.Configuration.GetConnectionString("Distribution")
            ?? throw new InvalidOperationException("ConnectionStrings:Distribution is not set: it names the PostgreSQL database of distributions.");

        // EF Core leaves no session state behind, so a pooled connection needs no DISCARD ALL on its way back: that
        // statement was half of this service's PostgreSQL transactions (one per query) at scale.
        var entityConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
        // Pooled: at ten thousand targets a context is made for every message, and a fresh one costs more than the query it runs.
        builder.Services.AddPooledDbContextFactory<DistributionDbContext>(options => options.UseNpgsql(entityConnectionString));
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<DistributionDbContext>>().CreateDbContext());
        builder.Services.AddHealthChecks().AddDbContextCheck<DistributionDbContext>("postgresql");
        builder.Services.AddExceptionProblem<DbUpdateConcurrencyException>(StatusCodes.Status409Conflict, "Conflict",
            "Another request changed or removed the same record at the same moment; read it again and retry.");
        builder.Services.AddBlobStore(builder.Configuration);

        AddVimAccess(builder);
        builder.AddHubs();
        builder.Services.AddSingleton<VimBulkUpsert>();
        builder.AddAaiImport();
        builder.Services.AddOptions<CatalogAccessOptions>()
            .Bind(builder.Configuration.GetSection(CatalogAccessOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient<CatalogImages>((services, http) => http.BaseAddress = services.GetRequiredService<IOptions<CatalogAccessOptions>>().Value.Catalog);
        builder.Services.AddScoped<DistributionCreation>();
        builder.Services.AddScoped<DistributionEstimator>();
        builder.Services.AddScoped<RemovalCreation>();
        builder.Services.AddScoped<RecallCreation>();
        builder.Services.AddHostedService<UnstartedDistributionSweep>();
        builder.Services.AddScoped<ReconciliationPass>();
        var region = builder.Configuration[$"{DistributionOptions.Section}:{nameof(DistributionOptions.Region)}"];
        builder.AddRegionalUploads(region);

        AddDurableScheduler(builder, connectionString);

        builder.AddServiceBus("distribution", x =>
        {
            if (region is not null)
            {
                // A regional replica: its region's uploads, nothing else (sagas, progress and the scheduler are the centre's).
                x.AddConsumer<UploadImageToVimConsumer, UploadImageToVimConsumerDefinition>();
                x.AddConsumer<UploadImageToVimsConsumer, UploadImageToVimsConsumerDefinition>();
                return;
            }

            x.AddSagaStateMachine<DistributionStateMachine, DistributionState, DistributionStateDefinition>()
                .OptimisticPostgresRepository();
            x.AddConsumer<DistributeRequestedConsumer, DistributeRequestedConsumerDefinition>();
            x.AddConsumer<DistributionStartRecordedConsumer>();
            x.AddConsumer<UploadImageToVimConsumer, UploadImageToVimConsumerDefinition>();
            x.AddConsumer<UploadImageToVimsConsumer, UploadImageToVimsConsumerDefinition>();
            x.AddConsumer<ImageValidatedConsumer>();
            x.AddConsumer<ImageAvailabilityConsumer>();
            x.AddConsumer<TargetProgressConsumer, TargetProgressConsumerDefinition>();
            x.AddConsumer<TargetReportsConsumer, TargetReportsConsumerDefinition>();
            x.AddConsumer<TargetBytesServedConsumer>();
            x.AddConsumer<RemoveImageFromVimsConsumer, RemoveImageFromVimsConsumerDefinition>();
            x.AddConsumer<RemoveImageFromVimConsumer, RemoveImageFromVimConsumerDefinition>();
            x.AddConsumer<DeactivateImageOnVimConsumer, DeactivateImageOnVimConsumerDefinition>();
            x.AddConsumer<DistributionDeadlineConsumer>();
            x.AddConsumer<StartRecallConsumer, StartRecallConsumerDefinition>();
            x.AddConsumer<RecallProgressConsumer>();
            x.AddConsumer<RecallPolicyConsumer>();
            x.AddConsumer<DistributionCompletionRecordedConsumer, DistributionCompletionRecordedConsumerDefinition>();
            x.AddConsumer<ScheduleMessageConsumer>().Endpoint(e => e.Name = "scheduler");
            x.AddConsumer<CancelScheduledMessageConsumer>().Endpoint(e => e.Name = "scheduler");
        });

        // SO / VF-C distribute over the bus: the one command this service takes from outside Image Manager.
        builder.Services.AddBusCommand<DistributeRequested>(CallerRoles.Distributor, "distribution.create", message => message.DistributionId.ToString(),
            (message, reason, at) => new DistributionRefused { DistributionId = message.DistributionId, ImageId = message.ImageId, Reason = reason, RefusedAt = at });

        return builder;
    }

    /// <summary>
    /// Drivers, and what they connect with: credentials are encrypted with the Data Protection key ring kept in the service's
    /// database, so that replicas on several machines share it, its keys encrypted there to the installation's certificate;
    /// the key folder of earlier versions is only imported.
    /// </summary>
    static void AddVimAccess(IHostApplicationBuilder builder)
    {
        var keys = builder.Configuration["DataProtection:KeysDirectory"]
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".imagemanager", "keys");
        VimCredentialProtector.Register(builder.Services, new DirectoryInfo(keys), builder.Configuration);
        builder.Services.AddOptions<ReceiptOptions>().Bind(builder.Configuration.GetSection(ReceiptOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReceiptKeyRing>();
        builder.Services.AddOptions<BudgetOptions>().Bind(builder.Configuration.GetSection(BudgetOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TransferBudgets>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TransferBudgets>());
        builder.Services.AddSingleton<VimConnector>();
        builder.Services.AddSingleton<VimCircuitBreaker>();
        builder.Services.AddSingleton<VimUploadSlots>();
        builder.Services.AddSingleton<UploadStartReads>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UploadStartReads>());
        builder.Services.AddSingleton<ReplicaUploadLimit>();
        builder.Services.AddSingleton<UploadEndings>();
        builder.Services.AddHostedService(services => services.GetRequiredService<UploadEndings>());
        builder.Services.AddSingleton<TargetReports>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TargetReports>());
        builder.Services.AddScoped<TargetChangeRecorder>();
        builder.Services.AddSingleton<VimCopyClaimBatches>();
        builder.Services.AddHostedService(services => services.GetRequiredService<VimCopyClaimBatches>());
        builder.Services.AddSingleton<SentBytes>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SentBytes>());
        builder.Services.AddHostedService(services => services.GetRequiredService<VimUploadSlots>());
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<RecentImages>();
        builder.Services.AddSingleton<VimProber>();
        builder.Services.AddSingleton<VimProbeQueue>();
        builder.Services.AddHostedService<VimRegistrationProbes>();
        builder.Services.AddHostedService<VimHealthProbe>();
        builder.Services.AddSingleton<KeystoneTokenCache>();
        builder.Services.AddSingleton<IVimDriver, GlanceDriver>();
        builder.Services.AddOptions<OciRegistryOptions>()
            .Bind(builder.Configuration.GetSection(OciRegistryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IVimDriver, OciRegistryDriver>();
        builder.Services.AddSingleton<IVimDriver, MulticloudDriver>();
        builder.Services.AddSingleton<VimTypeFit>();
    }

    /// <summary>
    /// Quartz with its job store in this service's PostgreSQL database (tables created by our migrations), clustered so
    /// that replicas share the jobs. RabbitMQ here has no delayed-exchange plugin; this is what makes delays durable.
    /// </summary>
    static void AddDurableScheduler(IHostApplicationBuilder builder, string connectionString)
    {
        var name = builder.Configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>()?.Name ?? new SchedulerOptions().Name;
        var reconciliation = builder.Configuration.GetSection(ReconciliationOptions.Section).Get<ReconciliationOptions>() ?? new ReconciliationOptions();
        builder.Services.AddQuartz(quartz =>
        {
            // Scheduled whatever Enabled says (the job looks at it), so that turning it off needs no clean-up of the store.
            // The trigger is rewritten from configuration when a replica starts, so a start also runs one pass (one batch).
            quartz.AddJob<ReconciliationJob>(ReconciliationJob.Key, job => job.StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(ReconciliationJob.Key)
                .WithIdentity("reconciliation", "maintenance")
                .StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(reconciliation.Interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount()));
            AaiImportJob.Schedule(quartz, builder.Configuration);
            quartz.SchedulerName = name;
            quartz.SchedulerId = "AUTO";
            quartz.UsePersistentStore(store =>
            {
                store.UseProperties = true;
                store.UsePostgres(connectionString);
                store.UseSerializer<JobDataSerializer>();
                store.UseClustering();
            });
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
    }

    public static async Task MigrateDistributionDatabaseAsync(this WebApplication app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DistributionDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    /// <summary>
    /// <c>rotate-receipt-key [--revoke-old]</c>: a new receipt signing key at once; with <c>--revoke-old</c> the keys before
    /// it leave the published set (only when one may have leaked: receipts they signed no longer verify).
    /// </summary>
    public static async Task RotateReceiptKeyAsync(this WebApplication app, bool revokeOld)
    {
        var keyId = await app.Services.GetRequiredService<ReceiptKeyRing>().RotateAsync(revokeOld, CancellationToken.None);
        Console.WriteLine($"New receipt signing key {keyId} in use{(revokeOld ? "; older keys revoked" : "; older keys stay published")}.");
    }

    /// <summary>The key rotation step (see <see cref="VimCredentialKeyRotation"/>); prints how many VIMs it re-encrypted.</summary>
    public static async Task RotateVimCredentialKeyAsync(this WebApplication app, bool revokeOld)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<DistributionDbContext>>().CreateDbContextAsync();
        var count = await VimCredentialKeyRotation.RotateAsync(
            app.Services.GetRequiredService<IKeyManager>(), app.Services.GetRequiredService<VimCredentialProtector>(),
            db, app.Services.GetRequiredService<TimeProvider>(), revokeOld, CancellationToken.None);
        Console.WriteLine($"New credential key in use; credentials of {count} VIM(s) encrypted again{(revokeOld ? "; older keys revoked" : "")}.");
    }
}
