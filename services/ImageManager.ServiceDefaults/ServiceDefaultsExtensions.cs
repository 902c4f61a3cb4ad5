using ImageManager.ServiceDefaults.Binding;
using ImageManager.ServiceDefaults.Problems;
using ImageManager.ServiceDefaults.BusAccess;
using ImageManager.ServiceDefaults.Sanitising;
using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ImageManager.ServiceDefaults;

/// <summary>What every Image Manager service has: telemetry, health, problem details and the bus.</summary>
public static class ServiceDefaultsExtensions
{
    const string LiveTag = "live";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemDetailFallback.Fill);
        builder.Services.AddStrictInput();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());

        // Traces and metrics are gathered only when an operator says where they go (OTEL_EXPORTER_OTLP_ENDPOINT; the app
        // host says so, and its dashboard then shows every service's traces, metrics and structured logs): nothing leaves
        // the machine otherwise, and nothing is gathered for nobody. Gathered unexported, they cost the Distribution about a
        // tenth of its CPU at ten thousand VIMs (an activity with tags per VIM request and per message, contended locks).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry()
                .WithTracing(tracing => tracing
                    .AddSource(DiagnosticHeaders.DefaultListenerName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthRequest(context.Request.Path))
                    .AddHttpClientInstrumentation())
                .WithMetrics(metrics => metrics
                    .AddMeter(InstrumentationOptions.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation())
                .WithLogging(_ => { }, options => options.IncludeFormattedMessage = true)
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Adds MassTransit on RabbitMQ with the project's conventions: no usage telemetry, the durable scheduler
    /// on <c>queue:scheduler</c>, endpoints named from their consumers and prefixed with the service's name, so that two
    /// services that both subscribe to an event each get their own queue (and their own copy); every message sent
    /// names its broker user, and every message consumed must come from a sender the broker vouches for
    /// (<see cref="BusSenderCheck{T}"/>).
    /// </summary>
    public static IHostApplicationBuilder AddServiceBus(this IHostApplicationBuilder builder, string serviceName,
        Action<IBusRegistrationConfigurator> configure)
    {
        builder.Services.AddOptions<RabbitMqOptions>()
            .Bind(builder.Configuration.GetSection(RabbitMqOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<BusSendersOptions>()
            .Bind(builder.Configuration.GetSection(BusSendersOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<BusTraffic>();
        builder.Services.AddReceiveObserver(services => services.GetRequiredService<BusTraffic>());
        builder.Services.AddSendObserver(services => services.GetRequiredService<BusTraffic>());
        builder.Services.AddPublishObserver(services => services.GetRequiredService<BusTraffic>());
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit 8.5 otherwise calls an outside server after a few minutes.
            x.DisableUsageTelemetry();
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            x.AddMessageScheduler(SchedulerAddress);
            configure(x);
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                // A database failing over (Patroni promotes the standby in about ten seconds, a Galera node leaves in two or
                // three, a pool waits for a free connection) or a broker node lost fails whatever a consumer does meanwhile:
                // such a message is tried again for about two minutes rather than put aside with its target left open. Other
                // exceptions are the consumers' own business (their definitions say how they retry).
                endpoint.UseMessageRetry(retry =>
                {
                    retry.Handle<Exception>(InfrastructureOutage.Caused);
                    retry.Exponential(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
                });
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit && context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QuorumQueues)
                {
                    rabbit.SetQuorumQueue();
                }
            });

            x.UsingRabbitMq((context, cfg) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                cfg.Host(options.Uri!, host =>
                {
                    if (options.Nodes.Length > 0)
                    {
                        host.UseCluster(cluster => Array.ForEach(options.Nodes, cluster.Node));
                    }
                });
                if (options.QuorumQueues)
                {
                    // The _error and _skipped queues too: a message kept for an operator must survive the loss of a node.
                    cfg.SendTopology.ConfigureErrorSettings = settings => settings.SetQuorumQueue();
                    cfg.SendTopology.ConfigureDeadLetterSettings = settings => settings.SetQuorumQueue();
                }

                cfg.StampBrokerUser(options.Uri!);
                cfg.UseConsumeFilter(typeof(BusSenderCheck<>), context);
                cfg.UseMessageScheduler(SchedulerAddress);
                cfg.ConfigureEndpoints(context);
            });
        });

        return builder;
    }

    /// <summary>The queue that the Distribution service's durable (Quartz) scheduler consumes.</summary>
    public static Uri SchedulerAddress { get; } = BusAddresses.Endpoint("scheduler");

    /// <summary><c>/healthz</c> answers while the process lives; <c>/readyz</c> also checks every dependency.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Open to anyone, always: probes carry no credentials.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }).AllowAnonymous();
        app.MapHealthChecks("/readyz").AllowAnonymous();
        if (app.Services.GetService<BusTraffic>() is { } traffic)
        {
            // Internal (the Api does not forward it), so not part of the public OpenAPI document.
            app.MapGet("/internal/v1/bus-traffic", () => new { received = traffic.Received, sent = traffic.Sent, published = traffic.Published })
                .ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>
    /// Refuses query parameters and route values with control characters, and JSON bodies with a NUL, with 400 naming
    /// them (<see cref="RequestTextCheck"/>). After access control: a caller who may not ask is told that first.
    /// </summary>
    public static WebApplication UseRequestTextCheck(this WebApplication app)
    {
        app.UseMiddleware<RequestTextCheck>();
        return app;
    }

    static bool IsHealthRequest(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
