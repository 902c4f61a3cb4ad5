using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Distributions;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using MassTransit;
using RabbitMQ.Client;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Commands from outside Image Manager arrive on the bus: only from senders the broker vouches for (the AMQP user_id,
/// which RabbitMQ checks against the connection) and that are configured with a role that allows the command. Everything
/// else is refused, answered, logged and audited, and changes nothing.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class BusSenderTests(SystemFixture system)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task When_sdc_onboards_the_image_belongs_to_its_tenant_and_the_command_is_audited()
    {
        await using var sdc = await OutsideSender.ConnectAsync(await system.SdcUriAsync(), system.SdcUser);
        var onboardingId = Guid.NewGuid();

        await sdc.Bus.Publish(Onboarding(onboardingId));

        var image = await Eventually.Get(() => system.GetJsonAsync($"/api/v1/images/{onboardingId}"), i => i["id"] is not null, Patience, "the onboarded image");
        Assert.Equal("sdc", image["owner"]!.GetValue<string>());
        var record = await AuditRecordAsync(onboardingId.ToString(), "image.onboard");
        Assert.Equal($"bus:{system.SdcUser}", record["caller"]!.GetValue<string>());
        Assert.Equal("sdc", record["tenant"]!.GetValue<string>());
        Assert.Equal("succeeded", record["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_sender_without_the_distributor_role_asks_for_a_distribution_it_is_refused_with_the_reason()
    {
        await using var sdc = await OutsideSender.ConnectAsync(await system.SdcUriAsync(), system.SdcUser);
        var distributionId = Guid.NewGuid();
        var client = sdc.Bus.CreateRequestClient<DistributeRequested>(RequestTimeout.After(s: 60));

        var response = await client.GetResponse<DistributionCompleted, DistributionRefused>(new DistributeRequested
        {
            DistributionId = distributionId,
            ImageId = Guid.NewGuid(),
            VimIds = ["anywhere"],
            RequestedAt = DateTimeOffset.UtcNow,
            Tenant = "operator", // claimed, and ignored: the sender's tenant is the configured one
        });

        Assert.True(response.Is(out Response<DistributionRefused>? refused), "the answer is a refusal");
        Assert.Contains("needs the role 'distributor'", refused!.Message.Reason, StringComparison.Ordinal);
        Assert.Contains(system.SdcUser, refused.Message.Reason, StringComparison.Ordinal);
        using var distribution = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}");
        Assert.Equal(HttpStatusCode.NotFound, distribution.StatusCode);
        var record = await AuditRecordAsync(distributionId.ToString(), "distribution.create");
        Assert.Equal("refused", record["outcome"]!.GetValue<string>());
        Assert.Equal(403, record["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task When_so_asks_to_distribute_another_tenants_private_image_it_is_refused_as_if_there_were_none_and_nothing_is_written()
    {
        using var ownerA = await system.ClientForAsync("tenant-a", "onboarder");
        using var created = await ownerA.PostAsJsonAsync("/api/v1/images", new { name = system.Unique("private-not-for-so"), version = "1", kind = "software-package" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var imageId = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        var vimId = await system.RegisterGlanceAsync("not-for-so", Infrastructure.Glance2);
        await using var so = await OutsideSender.ConnectAsync(await system.SoUriAsync(), system.SoUser);
        var distributionId = Guid.NewGuid();
        var client = so.Bus.CreateRequestClient<DistributeRequested>(RequestTimeout.After(s: 60));

        var response = await client.GetResponse<DistributionCompleted, DistributionRefused>(new DistributeRequested
        {
            DistributionId = distributionId,
            ImageId = imageId,
            VimIds = [vimId],
            RequestedAt = DateTimeOffset.UtcNow,
            Tenant = "tenant-a", // claimed, and ignored: the sender's tenant is the configured one
        });

        Assert.True(response.Is(out Response<DistributionRefused>? refused), "the answer is a refusal");
        Assert.Contains(imageId.ToString(), refused!.Message.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant-a", refused.Message.Reason, StringComparison.Ordinal);
        using var distribution = await system.Api.GetAsync($"/api/v1/distributions/{distributionId}");
        Assert.Equal(HttpStatusCode.NotFound, distribution.StatusCode);
    }

    [Fact]
    public async Task When_a_broker_user_is_no_configured_sender_its_onboarding_is_refused_and_logged()
    {
        var strangerUri = await system.Broker.AddUserAsync($"stranger-{Guid.NewGuid():N}"[..20]);
        var stranger = Uri.UnescapeDataString(strangerUri.UserInfo.Split(':')[0]);
        await using var sender = await OutsideSender.ConnectAsync(strangerUri, stranger);
        var onboardingId = Guid.NewGuid();

        await sender.Bus.Publish(Onboarding(onboardingId));

        var refused = await RefusalOfAsync(onboardingId);
        Assert.Contains($"Broker user '{stranger}' is not a configured sender", refused.Reason, StringComparison.Ordinal);
        var record = await AuditRecordAsync(onboardingId.ToString(), "image.onboard");
        Assert.Equal($"bus:{stranger}", record["caller"]!.GetValue<string>());
        Assert.Equal("refused", record["outcome"]!.GetValue<string>());
        using var image = await system.Api.GetAsync($"/api/v1/images/{onboardingId}");
        Assert.Equal(HttpStatusCode.NotFound, image.StatusCode);
        await Eventually.Get(() => File.ReadAllTextAsync(system.Services["catalog"].LogPath), log => log.Contains($"from broker user {stranger}", StringComparison.Ordinal),
            Patience, "the refusal in the Catalog's log");
    }

    [Fact]
    public async Task When_a_message_names_no_sender_it_is_refused()
    {
        await using var unnamed = await OutsideSender.ConnectAsync(await system.SdcUriAsync(), claimedUser: null);
        var onboardingId = Guid.NewGuid();

        await unnamed.Bus.Publish(Onboarding(onboardingId));

        var refused = await RefusalOfAsync(onboardingId);
        Assert.Contains("names no sender", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_sender_claims_another_broker_user_the_broker_refuses_the_message()
    {
        // A raw AMQP client: what the broker does with a forged user_id, with nothing in between that would retry.
        var factory = new ConnectionFactory { Uri = await system.SdcUriAsync() };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var onboardingId = Guid.NewGuid();
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId = Guid.NewGuid(),
            messageType = new[] { "urn:message:ImageManager.Contracts.Images:OnboardImage" },
            message = Onboarding(onboardingId),
        }, Web);
        var properties = new BasicProperties { UserId = system.PartnerUser, ContentType = "application/vnd.masstransit+json", Persistent = true };

        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await channel.BasicPublishAsync("ImageManager.Contracts.Images:OnboardImage", "", mandatory: false, properties, envelope));

        Assert.Equal(406, (int?)channel.CloseReason?.ReplyCode);
        Assert.Contains("user_id", channel.CloseReason!.ReplyText, StringComparison.Ordinal);
        // Had it been delivered, the partner's (operator) onboarding would have been answered.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(BusRecorder.All<ImageOnboarded>(), e => e.OnboardingId == onboardingId);
        Assert.DoesNotContain(BusRecorder.All<ImageOnboardingRefused>(), e => e.OnboardingId == onboardingId);
    }

    [Fact]
    public async Task When_an_outside_sender_publishes_an_event_only_image_manager_publishes_nothing_acts_on_it()
    {
        var image = TestImage.Random(64 * 1024);
        var imageId = await system.CreateImageAsync("forged-delete", sha256: image.Sha256);
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");

        // Even an operator-role sender may only send commands: ImageDeleted would have the Api drop the bytes.
        await system.Bus.Publish(new ImageDeleted { ImageId = imageId, Name = "forged", Version = "1", Kind = "vm-image", DeletedAt = DateTimeOffset.UtcNow });

        await Eventually.Get(() => AuditRecordsAsync("bus.ImageDeleted"), records => records.Any(r => r["caller"]!.GetValue<string>() == $"bus:{system.PartnerUser}"),
            Patience, "the refusal's audit record");
        using var file = await system.Api.GetAsync($"/api/v1/images/{imageId}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(image.Bytes, await file.Content.ReadAsByteArrayAsync());
        Assert.Equal("active", (await system.GetJsonAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>());
    }

    OnboardImage Onboarding(Guid onboardingId) => new()
    {
        OnboardingId = onboardingId,
        Name = system.Unique($"bus-{onboardingId:N}"),
        Version = "1.0",
        Kind = "vm-image",
        Vendor = "acme",
        DiskFormat = "raw",
        SourceUri = new Uri(system.Downloads.Address, $"{onboardingId:N}.qcow2"),
    };

    static async Task<ImageOnboardingRefused> RefusalOfAsync(Guid onboardingId) =>
        (await Eventually.Get(() => Task.FromResult(BusRecorder.All<ImageOnboardingRefused>().FirstOrDefault(e => e.OnboardingId == onboardingId)),
            e => e is not null, Patience, "ImageOnboardingRefused"))!;

    async Task<JsonObject> AuditRecordAsync(string resourceId, string action) =>
        (await Eventually.Get(
            async () => (await AuditRecordsAsync(action, resourceId)).FirstOrDefault(),
            record => record is not null, Patience, $"an audit record of {action} on {resourceId}"))!;

    async Task<List<JsonObject>> AuditRecordsAsync(string action, string? resourceId = null)
    {
        var page = await system.GetJsonAsync($"/api/v1/audit?action={action}" + (resourceId is null ? "" : $"&resourceId={resourceId}"));
        return page["records"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? [];
    }
}
