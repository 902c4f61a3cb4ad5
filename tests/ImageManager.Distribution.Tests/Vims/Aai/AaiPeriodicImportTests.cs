using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ImageManager.Distribution.Tests.Vims.Aai;

/// <summary>
/// The periodic import as the service schedules it (<see cref="Distribution.Vims.Aai.AaiImportJob.Schedule"/>), on a
/// running Quartz scheduler (in memory here; the service's is clustered in PostgreSQL).
/// </summary>
public sealed class AaiPeriodicImportTests(AaiImportRig rig) : IClassFixture<AaiImportRig>
{
    IHost Start(bool periodic)
    {
        var builder = rig.Builder(("Aai:Periodic", periodic ? "true" : "false"), ("Aai:Interval", "00:00:01"));
        builder.Services.AddQuartz(quartz =>
        {
            quartz.SchedulerName = $"aai-periodic-{Guid.NewGuid():N}";
            Distribution.Vims.Aai.AaiImportJob.Schedule(quartz, builder.Configuration);
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        var host = builder.Build();
        // Quartz logs through a process-wide provider, which the previous test's host took with it when it was disposed.
        Quartz.Logging.LogContext.SetCurrentLogProvider(host.Services.GetRequiredService<ILoggerFactory>());
        return host;
    }

    [Fact]
    public async Task When_periodic_import_is_on_regions_added_to_aai_become_vims_without_a_call()
    {
        var owner = $"periodic-{Guid.NewGuid():N}"[..18];
        rig.Aai.Put(AaiImportRig.Region(owner, "first"));
        using var host = Start(periodic: true);
        await host.StartAsync();

        var first = await Testing.Eventually.Get(() => rig.FindAsync($"{owner}_first"), v => v is not null, TimeSpan.FromSeconds(20), "the first region imported");
        rig.Aai.Put(AaiImportRig.Region(owner, "second"));
        var second = await Testing.Eventually.Get(() => rig.FindAsync($"{owner}_second"), v => v is not null, TimeSpan.FromSeconds(20), "the region added later imported");
        await host.StopAsync();

        Assert.Contains("aai", first!.Tags);
        Assert.Contains("aai", second!.Tags);
    }

    [Fact]
    public async Task When_periodic_import_is_off_the_schedule_imports_nothing()
    {
        var owner = $"off-{Guid.NewGuid():N}"[..14];
        rig.Aai.Put(AaiImportRig.Region(owner, "never"));
        var asked = rig.Aai.Requests.Count;
        using var host = Start(periodic: false);
        await host.StartAsync();

        await Task.Delay(TimeSpan.FromSeconds(3)); // three intervals: each fired the job, which looked at Aai:Periodic
        await host.StopAsync();

        Assert.Equal(asked, rig.Aai.Requests.Count);
        Assert.Null(await rig.FindAsync($"{owner}_never"));
    }
}
