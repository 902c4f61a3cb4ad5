using ImageManager.Api.Notifications;
using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;

namespace ImageManager.Api.Tests.Notifications;

public sealed class LifecycleNotificationsTests
{
    static readonly Guid Distribution = Guid.Parse("0195a3c5-0000-7000-8000-000000000001");
    static readonly Guid Image = Guid.Parse("0195a3c4-7b1e-7c22-9d1a-3f0c2b9e8a11");
    static readonly DateTimeOffset At = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    static VimImageStateChanged Change(string vim, string state, int seconds = 0) => new()
    {
        DistributionId = Distribution,
        ImageId = Image,
        VimId = vim,
        State = state,
        Attempt = 1,
        ChangedAt = At.AddSeconds(seconds),
    };

    [Fact]
    public void When_a_batch_holds_targets_of_a_distribution_one_progress_carries_them_all_and_each_final_one_is_told_alone()
    {
        var batch = new[] { Change("vim-b", TargetStates.Uploading), Change("vim-a", TargetStates.Active, 2), Change("vim-c", TargetStates.Failed, 1) };

        var notifications = LifecycleNotifications.Of(Distribution, batch, "acme").ToList();

        Assert.Equal(["distribution.progress", "distribution.target.changed", "distribution.target.changed"],
            notifications.Select(n => n.Type["org.onap.imagemanager.".Length..]));
        var progress = Assert.IsType<DistributionProgress>(notifications[0].Data);
        Assert.Equal(["vim-a", "vim-b", "vim-c"], progress.Targets.Select(t => t.VimId));
        Assert.Equal((At.AddSeconds(2), "acme", Distribution.ToString()), (notifications[0].Time, notifications[0].Tenant, notifications[0].Subject));
        Assert.Equal(["vim-a", "vim-c"], notifications.Skip(1).Select(n => ((VimImageStateChanged)n.Data).VimId));
    }

    [Fact]
    public void When_the_same_batch_is_told_again_its_notifications_keep_their_ids_and_another_batch_gets_others()
    {
        var batch = new[] { Change("vim-a", TargetStates.Uploading), Change("vim-b", TargetStates.Active) };

        var first = LifecycleNotifications.Of(Distribution, batch, null).Select(n => n.Id).ToList();
        var again = LifecycleNotifications.Of(Distribution, [.. batch.Reverse()], null).Select(n => n.Id).ToList();
        var later = LifecycleNotifications.Of(Distribution, [Change("vim-a", TargetStates.Active)], null).Select(n => n.Id).ToList();

        Assert.Equal(first, again);
        Assert.Empty(first.Intersect(later));
        Assert.All(first.Concat(later), id => Assert.Equal(8, Guid.Parse(id).Version));
    }

    [Fact]
    public void When_trust_is_withdrawn_or_the_end_of_life_is_reached_subscribers_of_the_image_s_owner_are_told()
    {
        var withdrawn = LifecycleNotifications.Of(Distribution, new ImageTrustWithdrawn
        {
            ImageId = Image,
            Kind = "vm-image",
            Name = "vfw",
            Version = "2.1.0",
            Owner = "acme",
            Reason = "authority 00ff removed from the trust store",
            SignerSha256Fingerprint = "ab",
            WithdrawnAt = At,
        });
        var ended = LifecycleNotifications.Of(Distribution, new ImageReachedEndOfLife
        {
            ImageId = Image,
            Kind = "vm-image",
            Name = "vfw",
            Version = "2.1.0",
            Owner = "acme",
            EndOfLife = new DateOnly(2020, 6, 30),
            ReachedAt = At,
        });

        Assert.Equal(("org.onap.imagemanager.image.trust.withdrawn", "acme", Image.ToString(), At), (withdrawn.Type, withdrawn.Tenant, withdrawn.Subject, withdrawn.Time));
        Assert.Equal(("org.onap.imagemanager.image.end-of-life.reached", "acme", Image.ToString(), At), (ended.Type, ended.Tenant, ended.Subject, ended.Time));
    }
}
