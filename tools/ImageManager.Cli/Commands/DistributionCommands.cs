using System.CommandLine;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Distributions;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Commands;

/// <summary><c>imagemanager distribute</c> and <c>imagemanager distribution ...</c>: images onto VIMs, and following that.</summary>
public static class DistributionCommands
{
    /// <summary>How long <c>watch</c> takes "not found" for "not recorded yet": a script may watch right after distributing.</summary>
    static readonly TimeSpan WatchGrace = TimeSpan.FromSeconds(15);

    static readonly string[] ShowOrder = ["id", "imageId", "state", "outcome", "kind", "targetCount", "counts", "bytesSent", "progress", "etaSeconds", "requestedAt", "completedAt"];

    public static Command BuildDistribute(GlobalOptions globals)
    {
        var command = new Command("distribute", "Distribute an active image to VIMs: by id (--vim), by --region and/or --tag, or --all-vims.");
        var image = new Argument<Guid>("image-id");
        var targets = new SelectorOptions(narrowing: false, offerAll: true);
        var maxParallel = new Option<int?>("--max-parallel") { Description = "Strategy: at most this many uploads at once." };
        var canary = new Option<int?>("--canary-size") { Description = "Strategy: this many targets first; the rest only if they succeed." };
        var maxFailures = new Option<int?>("--max-failures") { Description = "Strategy: stop after this many failed targets." };
        var deadline = new Option<DateTimeOffset?>("--deadline") { Description = "Strategy: targets not started by then are skipped (ISO 8601)." };
        var wait = new Option<bool>("--wait") { Description = "Follow it to the end with a progress bar: exit 0 if every target succeeded, 6 if not." };
        var timeout = ImageCommands.TimeoutOption();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar." };
        command.Add(image);
        targets.AddTo(command);
        foreach (var option in new Option[] { maxParallel, canary, maxFailures, deadline, wait, timeout, quiet })
        {
            command.Add(option);
        }

        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var request = new JsonObject { ["imageId"] = context.Value(image).ToString() };
            var chosen = targets.ApplyTo(context, request);
            var strategy = new JsonObject();
            if (context.Value(maxParallel) is { } mp)
            {
                strategy["maxParallel"] = mp;
            }

            if (context.Value(canary) is { } cs)
            {
                strategy["canarySize"] = cs;
            }

            if (context.Value(maxFailures) is { } mf)
            {
                strategy["maxFailures"] = mf;
            }

            if (context.Value(deadline) is { } dl)
            {
                strategy["deadline"] = dl.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            }

            if (strategy.Count > 0)
            {
                request["strategy"] = strategy;
            }

            if (!chosen)
            {
                throw new CliException(ExitCodes.Usage, "Which VIMs? Give --vim (repeatable), --region, --tag or --all-vims.");
            }

            var answer = await context.Api.PostAsync("distributions", request, ct);
            var accepted = JsonNode.Parse(answer.Body)!;
            // id since the Api answers it as POST /images does; distributionId, its deprecated name, from older Apis.
            var id = Guid.Parse((accepted["id"] ?? accepted["distributionId"])!.GetValue<string>());
            return await StartedAsync(context, id, answer.Body, context.Value(wait), context.Value(timeout), context.Value(quiet), ct);
        });
        return command;
    }

    public static Command Build(GlobalOptions globals)
    {
        var distribution = new Command("distribution", "Distributions: list, show, targets, watch, cancel, retry.");
        distribution.Add(List(globals));
        distribution.Add(Show(globals));
        distribution.Add(ResourceCommand.ListByState<Guid>(globals, "targets", "A distribution's targets in VIM id order.", "distribution-id",
            "Only those in this state (pending, uploading, active, failed, ...).", id => $"distributions/{id}/targets", "targets", TargetTable));
        distribution.Add(Watch(globals));
        distribution.Add(Cancel(globals));
        distribution.Add(Retry(globals));
        return distribution;
    }

    /// <summary>After a 202: prints it, or with --wait follows the distribution to its end and prints its status.</summary>
    static async Task<int> StartedAsync(CommandContext context, Guid id, string accepted, bool wait, int timeout, bool quiet, CancellationToken ct)
    {
        if (!wait)
        {
            context.Output.Answer(accepted, _ => context.Output.Say($"Distribution {id} started; follow it with: imagemanager distribution watch {id}"));
            return ExitCodes.Success;
        }

        context.Output.Say($"Distribution {id} started.");
        var completed = await new DistributionFollower(context.Api, new ProgressBar("distribute", quiet)).FollowAsync(id, _ => { }, TimeSpan.FromSeconds(timeout), TimeSpan.MaxValue, ct);
        var status = await context.Api.GetAsync($"distributions/{id}", ct);
        context.Output.Answer(status.Body, node => ShowTable(context.Output, node));
        DistributionFollower.CheckOutcome(id, completed);
        return ExitCodes.Success;
    }

    static Command List(GlobalOptions globals)
    {
        var command = new Command("list", "Recent distributions, newest first.");
        var image = new Option<Guid?>("--image-id") { Description = "Those of this image." };
        var state = new Option<string?>("--state") { Description = "distributing or completed." };
        var paging = new PagingOptions();
        command.Add(image);
        command.Add(state);
        paging.AddTo(command);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var query = new List<KeyValuePair<string, string>>();
            if (context.Value(image) is { } i)
            {
                query.Add(new("imageId", i.ToString()));
            }

            if (context.Value(state) is { } s)
            {
                query.Add(new("state", s));
            }

            var body = await paging.FetchAsync(context, "distributions", "distributions", query, ct);
            context.Output.Answer(body, node => context.Output.Table(["ID", "IMAGE", "KIND", "STATE", "OUTCOME", "TARGETS", "REQUESTED"],
                (node["distributions"]?.AsArray() ?? []).Select(d => new[]
                {
                    ResultWriter.Cell(d?["id"]), ResultWriter.Cell(d?["imageId"]), ResultWriter.Cell(d?["kind"]), ResultWriter.Cell(d?["state"]),
                    ResultWriter.Cell(d?["outcome"]), ResultWriter.Cell(d?["targetCount"]), ResultWriter.Cell(d?["requestedAt"]),
                }), dropFirst: ["REQUESTED", "KIND", "TARGETS"]));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Show(GlobalOptions globals)
    {
        var command = new Command("show", "A distribution's state, counts, bytes, progress, time left and first targets.");
        var id = new Argument<Guid>("distribution-id");
        command.Add(id);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.GetAsync($"distributions/{context.Value(id)}", ct);
            context.Output.Answer(answer.Body, node => ShowTable(context.Output, node));
            return ExitCodes.Success;
        });
        return command;
    }

    static void ShowTable(ResultWriter output, JsonNode distribution)
    {
        var fields = distribution.DeepClone().AsObject();
        var targets = fields["targets"]?.AsArray() ?? [];
        fields.Remove("targets");
        output.Fields(fields, ShowOrder);
        TargetTable(output, targets);
    }

    static void TargetTable(ResultWriter output, JsonArray targets) =>
        output.Table(["VIM", "STATE", "ATTEMPT", "SENT", "VIM IMAGE", "ERROR"], targets.Select(t => new[]
        {
            ResultWriter.Cell(t?["vimId"]), ResultWriter.Cell(t?["state"]), ResultWriter.Cell(t?["attempt"]),
            ResultWriter.Bytes(t?["bytesSent"]?.GetValue<long>() ?? 0), ResultWriter.Cell(t?["vimImageId"]), ResultWriter.Cell(t?["lastError"] ?? t?["error"]),
        }), dropFirst: ["ATTEMPT", "VIM IMAGE", "SENT"]);

    static Command Watch(GlobalOptions globals)
    {
        var command = new Command("watch", "Follow a distribution live (server-sent events) to its end: exit 0 if every target succeeded, 6 if not.");
        var id = new Argument<Guid>("distribution-id");
        var timeout = ImageCommands.TimeoutOption();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar." };
        command.Add(id);
        command.Add(timeout);
        command.Add(quiet);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var distributionId = context.Value(id);
            var output = context.Output;
            var completed = await new DistributionFollower(context.Api, new ProgressBar("watch", context.Value(quiet) || output.IsJson))
                .FollowAsync(distributionId, message =>
                {
                    if (output.IsJson)
                    {
                        // One JSON object a line: the event's name and id, and its data as the Api sent it.
                        Console.Out.WriteLine(new JsonObject { ["event"] = message.Name, ["id"] = message.Id, ["data"] = JsonNode.Parse(message.Data) }.ToJsonString());
                    }
                    else if (message.Name == "target" && JsonNode.Parse(message.Data) is { } target)
                    {
                        output.Say($"{target["updatedAt"]}  {target["vimId"]}  {target["state"]}  attempt {target["attempt"]}" +
                                   (target["error"] is { } error ? $"  {error}" : ""));
                    }
                }, TimeSpan.FromSeconds(context.Value(timeout)), WatchGrace, ct);
            output.Say($"Distribution {distributionId} completed: {completed["outcome"]}.");
            DistributionFollower.CheckOutcome(distributionId, completed);
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Cancel(GlobalOptions globals)
    {
        var command = new Command("cancel", "Cancel the targets not yet under way; running uploads finish.");
        var id = new Argument<Guid>("distribution-id");
        command.Add(id);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.PostAsync($"distributions/{context.Value(id)}/cancel", null, ct);
            context.Output.Answer(answer.Body, node => context.Output.Say($"Cancelled {node["cancelledTargets"]} target(s) of distribution {context.Value(id)}."));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Retry(GlobalOptions globals)
    {
        var command = new Command("retry", "Re-run the failed targets as a new distribution.");
        var id = new Argument<Guid>("distribution-id");
        var wait = new Option<bool>("--wait") { Description = "Follow the new distribution to its end (exit 0 or 6)." };
        var timeout = ImageCommands.TimeoutOption();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar." };
        command.Add(id);
        command.Add(wait);
        command.Add(timeout);
        command.Add(quiet);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.PostAsync($"distributions/{context.Value(id)}/retry", null, ct);
            var retryId = Guid.Parse(JsonNode.Parse(answer.Body)!["distributionId"]!.GetValue<string>());
            return await StartedAsync(context, retryId, answer.Body, context.Value(wait), context.Value(timeout), context.Value(quiet), ct);
        });
        return command;
    }
}
