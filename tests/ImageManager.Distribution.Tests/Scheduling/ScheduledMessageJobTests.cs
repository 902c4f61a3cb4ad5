using ImageManager.Distribution.Scheduling;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;
using Quartz.Impl;
using Quartz.Spi;

namespace ImageManager.Distribution.Tests.Scheduling;

/// <summary>
/// A scheduled message whose send fails is tried again on a trigger of its own, in Quartz's in-memory store here (the
/// PostgreSQL store and the broker's outages are the fault tests' part).
/// </summary>
public sealed class ScheduledMessageJobTests : IAsyncLifetime
{
    // No transport serves this scheme on the in-memory bus: every send to it fails, as a send during an outage does.
    static readonly Uri Unreachable = new("rabbitmq://127.0.0.1:1/nowhere/upload-image-to-vim");

    readonly ServiceProvider _services = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
    IScheduler _scheduler = null!;

    public async Task InitializeAsync()
    {
        await _services.GetRequiredService<ITestHarness>().Start();
        // Quartz logs through one static provider, which a service host of another test in this process set to its
        // logger factory and disposed with it.
        Quartz.Logging.LogContext.SetCurrentLogProvider(NullLoggerFactory.Instance);
        _scheduler = await new StdSchedulerFactory(new System.Collections.Specialized.NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = $"scheduled-message-job-tests-{Guid.NewGuid():N}",
            ["quartz.serializer.type"] = "binary",
        }).GetScheduler();
    }

    [Fact]
    public async Task When_a_send_fails_the_next_try_is_scheduled_on_a_trigger_of_its_own()
    {
        var job = await AddJobAsync();

        await ExecuteAsync(job);

        var retry = await _scheduler.GetTrigger(new TriggerKey($"{job.Key.Name}-1", ScheduledMessageJob.Group));
        Assert.NotNull(retry);
        Assert.Equal("1", retry.JobDataMap.GetString(ScheduledMessageJob.FailuresKey));
    }

    [Fact]
    public async Task When_a_recovered_job_fails_again_the_try_it_already_scheduled_stands_without_firing_at_once()
    {
        var job = await AddJobAsync();
        // The process stopped after the first failure had scheduled its next try, and Quartz runs the job again.
        await ExecuteAsync(job);

        var again = await Record.ExceptionAsync(() => ExecuteAsync(job));

        Assert.Null(again);
        Assert.NotNull(await _scheduler.GetTrigger(new TriggerKey($"{job.Key.Name}-1", ScheduledMessageJob.Group)));
    }

    async Task<IJobDetail> AddJobAsync()
    {
        var job = JobBuilder.Create<ScheduledMessageJob>()
            .WithIdentity(Guid.NewGuid().ToString("N"), ScheduledMessageJob.Group)
            .UsingJobData(ScheduledMessageJob.DestinationKey, Unreachable.ToString())
            .UsingJobData(ScheduledMessageJob.ContentTypeKey, "application/vnd.masstransit+json")
            .UsingJobData(ScheduledMessageJob.EnvelopeKey, "{\"message\":{}}")
            .StoreDurably()
            .Build();
        await _scheduler.AddJob(job, replace: false);
        return job;
    }

    Task ExecuteAsync(IJobDetail job)
    {
        var now = DateTimeOffset.UtcNow;
        var trigger = (IOperableTrigger)TriggerBuilder.Create().ForJob(job).WithIdentity(job.Key.Name, ScheduledMessageJob.Group).StartAt(now).Build();
        var sending = new ScheduledMessageJob(_services.GetRequiredService<IBus>(), TimeProvider.System, NullLogger<ScheduledMessageJob>.Instance);
        var fired = new TriggerFiredBundle(job, trigger, null, jobIsRecovering: true, now, now, null, null);
        return sending.Execute(new JobExecutionContextImpl(_scheduler, fired, sending));
    }

    public async Task DisposeAsync()
    {
        await _scheduler.Shutdown();
        await _services.DisposeAsync();
    }
}
