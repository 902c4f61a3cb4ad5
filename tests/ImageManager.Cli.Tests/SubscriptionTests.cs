using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.Cli.Tests;

/// <summary><c>subscription ...</c>: a webhook subscribed from the command line, its deliveries, its removal.</summary>
[Collection(CliCollection.Name)]
public sealed class SubscriptionTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_a_webhook_is_subscribed_it_receives_signed_events_and_its_deliveries_are_listed()
    {
        using var subscriber = new WebhookSubscriber();
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
        var secretFile = Path.Combine(system.WorkDirectory, system.Name("secret"));
        await File.WriteAllTextAsync(secretFile, secret + "\n");

        var added = await system.RunAsync("subscription", "add", subscriber.Url.ToString(), "--event", "org.onap.imagemanager.image.catalogued",
            "--secret-file", secretFile, "--description", "from the CLI", "-o", "json");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.DoesNotContain(secret, added.Stdout);
        var id = JsonNode.Parse(added.Stdout)!["id"]!.GetValue<string>();

        var imageId = await system.CreateImageAsync("cli-hooked");
        var received = (await subscriber.WaitForAsync(r => r.Any(d => d.Subject == imageId.ToString()), "the catalogued event")).First(d => d.Subject == imageId.ToString());
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), received.Body)), received.Signature);

        var deliveries = await Eventually.Get(() => system.RunAsync("subscription", "deliveries", id, "--state", "delivered", "-o", "json"),
            result => result.ExitCode == 0 && result.Stdout.Contains(imageId.ToString(), StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the delivery listed");
        var delivery = JsonNode.Parse(deliveries.Stdout)!["deliveries"]!.AsArray().First(d => d!["eventSubject"]!.GetValue<string>() == imageId.ToString())!;
        Assert.Equal(1, delivery["attempts"]!.GetValue<int>());

        var table = await system.RunAsync("subscription", "list", "--all");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(subscriber.Url.ToString(), table.Stdout);
        Assert.Contains("active", table.Stdout);

        var removed = await system.RunAsync("subscription", "remove", id);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        var gone = await system.RunAsync("subscription", "show", id);
        Assert.Equal(3, gone.ExitCode);
    }

    [Fact]
    public async Task When_a_subscription_has_no_secret_the_cli_exits_2_saying_where_to_give_it()
    {
        var result = await system.RunAsync("subscription", "add", "http://127.0.0.1:9/hook");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--secret-file", result.Stderr);
    }

    [Fact]
    public async Task When_the_api_refuses_the_url_the_cli_exits_5_with_its_reason()
    {
        var secretFile = Path.Combine(system.WorkDirectory, system.Name("secret"));
        await File.WriteAllTextAsync(secretFile, "0123456789abcdef0123");

        var result = await system.RunAsync("subscription", "add", "ftp://127.0.0.1/hook", "--secret-file", secretFile);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("http or https", result.Stderr);
    }
}
