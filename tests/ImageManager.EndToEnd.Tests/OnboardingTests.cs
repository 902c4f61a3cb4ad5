using System.Net.Http.Json;
using ImageManager.Contracts.Images;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>SDC onboarding over the bus: an <see cref="OnboardImage"/> message, then the same path as an upload.</summary>
[Collection(SystemCollection.Name)]
public sealed class OnboardingTests(SystemFixture system)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_sdc_onboards_an_image_it_is_catalogued_under_the_onboarding_id_fetched_and_validated()
    {
        var image = TestImage.Random(1024 * 1024 + 3);
        var onboardingId = Guid.NewGuid();
        var message = Onboarding(onboardingId, system.Downloads.Serve($"{onboardingId:N}.qcow2", image.Bytes)) with { Sha512 = image.Sha512 };

        await system.Bus.Publish(message);
        await system.Bus.Publish(message); // SDC redelivers: nothing changes

        var active = await system.WaitForStatusAsync(onboardingId, "active");
        Assert.Equal(image.Sha256, active["sha256"]!.GetValue<string>());
        Assert.Equal("acme", active["vendor"]!.GetValue<string>());
        var accepted = await Eventually.Get(() => Task.FromResult(BusRecorder.All<ImageOnboarded>().Count(e => e.OnboardingId == onboardingId)),
            count => count == 2, Patience, "an ImageOnboarded per message");
        Assert.Equal(2, accepted);
        Assert.Single(BusRecorder.All<ImageUploaded>(), e => e.ImageId == onboardingId);
    }

    [Fact]
    public async Task When_the_onboarding_metadata_is_invalid_it_is_refused_naming_the_fields()
    {
        var onboardingId = Guid.NewGuid();

        await system.Bus.Publish(Onboarding(onboardingId, new Uri(system.Downloads.Address, "x.qcow2")) with { DiskFormat = "floppy", Version = "" });

        var refused = await Eventually.Get(() => Task.FromResult(BusRecorder.All<ImageOnboardingRefused>().FirstOrDefault(e => e.OnboardingId == onboardingId)),
            e => e is not null, Patience, "ImageOnboardingRefused");
        Assert.Contains("diskFormat", refused!.Reason, StringComparison.Ordinal);
        Assert.Contains("version", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_another_image_has_the_name_and_version_the_onboarding_is_refused()
    {
        var first = Onboarding(Guid.NewGuid(), new Uri(system.Downloads.Address, "a.qcow2"));
        var second = first with { OnboardingId = Guid.NewGuid() };

        await system.Bus.Publish(first);
        await Eventually.Get(() => Task.FromResult(BusRecorder.All<ImageOnboarded>().Any(e => e.OnboardingId == first.OnboardingId)),
            accepted => accepted, Patience, "the first onboarding");
        await system.Bus.Publish(second);

        var refused = await Eventually.Get(() => Task.FromResult(BusRecorder.All<ImageOnboardingRefused>().FirstOrDefault(e => e.OnboardingId == second.OnboardingId)),
            e => e is not null, Patience, "ImageOnboardingRefused");
        Assert.Contains("already exists", refused!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_another_tenant_has_the_name_and_version_the_onboarding_is_accepted_as_the_senders_own()
    {
        var message = Onboarding(Guid.NewGuid(), new Uri(system.Downloads.Address, "c.qcow2"));
        using var otherTenant = await system.ClientForAsync("tenant-elsewhere", "onboarder");
        using (var taken = await otherTenant.PostAsJsonAsync("/api/v1/images", new { name = message.Name, version = message.Version, kind = message.Kind, diskFormat = "raw" }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, taken.StatusCode);
        }

        await system.Bus.Publish(message);

        await Eventually.Get(() => Task.FromResult(BusRecorder.All<ImageOnboarded>().Any(e => e.OnboardingId == message.OnboardingId)),
            accepted => accepted, Patience, "the onboarding to be accepted");
        Assert.DoesNotContain(BusRecorder.All<ImageOnboardingRefused>(), e => e.OnboardingId == message.OnboardingId);
        Assert.Equal("partner", (await system.GetJsonAsync($"/api/v1/images/{message.OnboardingId}"))["owner"]!.GetValue<string>());
    }

    static OnboardImage Onboarding(Guid onboardingId, Uri source) => new()
    {
        OnboardingId = onboardingId,
        Name = $"vnf-{onboardingId:N}",
        Version = "2.1.0",
        Kind = "vm-image",
        Vendor = "acme",
        DiskFormat = "raw",
        SourceUri = source,
    };
}
