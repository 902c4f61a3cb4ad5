using System.Text.Json.Nodes;

namespace ImageManager.Cli.Tests;

/// <summary><c>events tail</c> over the DMaaP-style subscription.</summary>
[Collection(CliCollection.Name)]
public sealed class EventTailTests(CliSystemFixture system)
{
    [Fact]
    public async Task When_an_image_is_catalogued_events_tail_prints_its_CloudEvent()
    {
        var group = system.Name("tail");
        var joined = await system.RunAsync("events", "tail", "IMAGE-LIFECYCLE", "--group", group, "--consumer", "c1", "--once", "--poll-timeout", "0");
        Assert.True(joined.ExitCode == 0, joined.ToString()); // a group receives what happens after its first poll
        var imageId = await system.CreateImageAsync("tailed");

        var result = await system.RunAsync("events", "tail", "IMAGE-LIFECYCLE", "--group", group, "--consumer", "c1",
            "--type", "image.catalogued", "--subject", imageId.ToString(), "--max-events", "1", "--timeout", "120", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var cloudEvent = JsonNode.Parse(result.Stdout.Trim())!;
        Assert.Equal("org.onap.imagemanager.image.catalogued", cloudEvent["type"]!.GetValue<string>());
        Assert.Equal(imageId.ToString(), cloudEvent["subject"]!.GetValue<string>());
        Assert.Equal("1.0", cloudEvent["specversion"]!.GetValue<string>());
    }
}
