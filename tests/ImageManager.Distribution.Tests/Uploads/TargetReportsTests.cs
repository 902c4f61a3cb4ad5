using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Uploads;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageManager.Distribution.Tests.Uploads;

/// <summary>The uploads' reports published together (<see cref="TargetReports"/>), on MassTransit's test harness.</summary>
public sealed class TargetReportsTests : IAsyncLifetime
{
    readonly ServiceProvider _provider = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
    ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task When_many_uploads_report_while_a_report_is_on_its_way_they_go_in_one_message_and_each_is_answered_once_it_is_published()
    {
        var reports = new TargetReports(_harness.Bus, NullLogger<TargetReports>.Instance);
        var distributionId = NewId.NextGuid();
        var changes = Enumerable.Range(0, 300).Select(i => new VimImageStateChanged
        {
            DistributionId = distributionId,
            ImageId = Guid.NewGuid(),
            VimId = $"edge-{i:000}",
            State = i % 10 == 0 ? TargetStates.Failed : TargetStates.Active,
            Attempt = 1,
            ChangedAt = DateTimeOffset.UtcNow,
        }).ToList();
        var answers = changes.Select(c => reports.ReportAsync(c, CancellationToken.None)).ToList(); // queued before the writer runs

        Assert.All(answers, a => Assert.False(a.IsCompleted));
        await using (await new StartedService<TargetReports>(reports).StartAsync())
        {
            await Task.WhenAll(answers).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var published = _harness.Published.Select<VimImageStatesChanged>().Select(m => m.Context.Message).Where(m => m.Changes.Any(c => c.DistributionId == distributionId)).ToList();
        Assert.Equal(changes, Assert.Single(published).Changes);
        Assert.DoesNotContain(_harness.Published.Select<VimImageStateChanged>(), m => m.Context.Message.DistributionId == distributionId);
    }
}
