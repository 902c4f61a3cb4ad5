using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;

namespace ImageManager.Cli.Commands;

/// <summary>
/// <c>imagemanager events tail</c>: the DMaaP-style subscription <c>GET /events/{topic}/{group}/{consumer}</c>, polled
/// in a loop; each message is a CloudEvent (JSON in a string), printed as it comes.
/// </summary>
public static class EventCommands
{
    public static Command Build(GlobalOptions globals)
    {
        var events = new Command("events", "Notifications (CloudEvents) of image lifecycle and distributions.");
        events.Add(Tail(globals));
        return events;
    }

    static Command Tail(GlobalOptions globals)
    {
        var command = new Command("tail", "Print a topic's events as they come, for a consumer group (every group gets every event once).");
        var topic = new Argument<string>("topic") { Description = "IMAGE-LIFECYCLE or IMAGE-DISTRIBUTION." };
        var group = new Option<string>("--group") { Description = "The consumer group (it exists from its first poll on).", Required = true };
        var consumer = new Option<string>("--consumer") { Description = "This consumer's id within the group.", Required = true };
        var pollTimeout = new Option<int?>("--poll-timeout") { Description = "Milliseconds each poll waits for a first event (the Api's default: 15000)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many events a poll (1 to 1000)." };
        var type = new Option<string?>("--type") { Description = "Only events of this type (full, or its end, e.g. image.catalogued)." };
        var subject = new Option<string?>("--subject") { Description = "Only events about this image or distribution id." };
        var maxEvents = new Option<int?>("--max-events") { Description = "Stop after printing this many events." };
        var once = new Option<bool>("--once") { Description = "Poll once, print what came, stop." };
        var timeout = new Option<int?>("--timeout") { Description = "Stop after this many seconds; with --max-events not reached, exit 7." };
        foreach (var option in new Option[] { group, consumer, pollTimeout, limit, type, subject, maxEvents, once, timeout })
        {
            command.Add(option);
        }

        command.Add(topic);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var query = new List<KeyValuePair<string, string>>();
            if (context.Value(pollTimeout) is { } ms)
            {
                query.Add(new("timeout", ms.ToString(CultureInfo.InvariantCulture)));
            }

            if (context.Value(limit) is { } l)
            {
                query.Add(new("limit", l.ToString(CultureInfo.InvariantCulture)));
            }

            var path = $"events/{ApiClient.Escape(context.Value(topic))}/{ApiClient.Escape(context.Value(group)!)}/{ApiClient.Escape(context.Value(consumer)!)}"
                       + PagingOptions.QueryString(query);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (context.Value(timeout) is { } seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            var printed = 0;
            var wanted = context.Value(maxEvents);
            try
            {
                do
                {
                    var answer = await context.Api.GetAsync(path, stop.Token);
                    foreach (var message in JsonNode.Parse(answer.Body)?.AsArray() ?? [])
                    {
                        var text = message?.GetValueKind() == JsonValueKind.String ? message.GetValue<string>() : message?.ToJsonString() ?? "";
                        if (!Matches(text, context.Value(type), context.Value(subject), out var cloudEvent))
                        {
                            continue;
                        }

                        Print(context, text, cloudEvent);
                        if (++printed == wanted)
                        {
                            return ExitCodes.Success;
                        }
                    }
                }
                while (!context.Value(once));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (wanted is not null)
                {
                    throw new CliException(ExitCodes.TimedOut, $"{printed} of {wanted} event(s) came within {context.Value(timeout)} s (--timeout).");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    static bool Matches(string text, string? type, string? subject, out JsonObject cloudEvent)
    {
        cloudEvent = JsonNode.Parse(text) as JsonObject ?? [];
        var eventType = cloudEvent["type"]?.GetValue<string>() ?? "";
        if (type is not null && eventType != type && !eventType.EndsWith("." + type, StringComparison.Ordinal))
        {
            return false;
        }

        return subject is null || string.Equals(cloudEvent["subject"]?.GetValue<string>(), subject, StringComparison.OrdinalIgnoreCase);
    }

    static void Print(CommandContext context, string text, JsonObject cloudEvent)
    {
        if (context.Output.IsJson)
        {
            Console.Out.WriteLine(text);
            return;
        }

        Console.Out.WriteLine($"{cloudEvent["time"]}  {cloudEvent["type"]}  {cloudEvent["subject"]}  {cloudEvent["id"]}");
    }
}
