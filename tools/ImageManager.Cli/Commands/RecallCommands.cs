using System.CommandLine;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Distributions;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Commands;

/// <summary>
/// <c>imagemanager recall create|show|wait|retry</c>: take an image off, or replace it on, every VIM that holds it. A recall
/// is followed as the distribution of kind <c>recall</c> it is (the same event stream).
/// </summary>
public static class RecallCommands
{
    static readonly string[] ShowOrder = ["id", "imageId", "action", "reason", "successorImageId", "retryOf", "removalIds", "successorDistributionIds"];
    static readonly string[] ProgressOrder = ["state", "outcome", "targetCount", "counts", "requestedAt", "completedAt"];

    public static Command Build(GlobalOptions globals)
    {
        var recall = new Command("recall", "Recalls: remove an image from, or replace it on, every VIM that holds it (operators).");
        recall.Add(Create(globals));
        recall.Add(Show(globals));
        recall.Add(Wait(globals));
        recall.Add(Retry(globals));
        return recall;
    }

    static Command Create(GlobalOptions globals)
    {
        var command = new Command("create", "Recall an image from every VIM where Image Manager recorded a copy (narrowed by --vim, --region, --tag).");
        var image = new Argument<Guid>("image-id");
        var action = new Option<string>("--action") { Description = "remove, replace (with --successor), or deactivate.", Required = true };
        var successor = new Option<Guid?>("--successor") { Description = "replace: the image put on each VIM before the recalled one comes off." };
        var reason = new Option<string>("--reason") { Description = "cve (with --cve), revoked-key, end-of-life, or other (with --text).", Required = true };
        var cve = new Option<string?>("--cve") { Description = "The CVE id, e.g. CVE-2024-3094." };
        var text = new Option<string?>("--text") { Description = "Why, in words." };
        var vims = new SelectorOptions(narrowing: true, offerAll: false);
        var dryRun = new Option<bool>("--dry-run") { Description = "List the VIMs and tenants it would touch; change nothing." };
        var wait = new Option<bool>("--wait") { Description = "Follow it to the end: exit 0 if every target succeeded, 6 if not." };
        var timeout = ImageCommands.TimeoutOption();
        foreach (var option in new Option[] { action, successor, reason, cve, text })
        {
            command.Add(option);
        }

        vims.AddTo(command);
        foreach (var option in new Option[] { dryRun, wait, timeout })
        {
            command.Add(option);
        }

        command.Add(image);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var why = new JsonObject { ["kind"] = context.Value(reason) };
            if (context.Value(cve) is { } id)
            {
                why["cveId"] = id;
            }

            if (context.Value(text) is { } words)
            {
                why["text"] = words;
            }

            var request = new JsonObject { ["imageId"] = context.Value(image).ToString(), ["action"] = context.Value(action), ["reason"] = why };
            if (context.Value(successor) is { } next)
            {
                request["successorImageId"] = next.ToString();
            }

            vims.ApplyTo(context, request);

            if (context.Value(dryRun))
            {
                request["dryRun"] = true;
                var plan = await context.Api.PostAsync("recalls", request, ct);
                context.Output.Answer(plan.Body, node =>
                {
                    context.Output.Say($"Would recall image {node["imageId"]} ({node["action"]}) from {node["vimIds"]?.AsArray().Count ?? 0} VIM(s); nothing was changed.");
                    context.Output.Table(["VIM", "HOLDS SUCCESSOR"], (node["vimIds"]?.AsArray() ?? []).Select(v => new[]
                    {
                        ResultWriter.Cell(v), (node["successorPresentVimIds"]?.AsArray() ?? []).Any(s => s?.GetValue<string>() == v?.GetValue<string>()) ? "yes" : "no",
                    }));
                    context.Output.Say($"Tenants: {string.Join(", ", (node["tenants"]?.AsArray() ?? []).Select(t => t?.GetValue<string>() ?? "(Image Manager's own)"))}");
                });
                return ExitCodes.Success;
            }

            var answer = await context.Api.PostAsync("recalls", request, ct);
            var recallId = Guid.Parse(JsonNode.Parse(answer.Body)!["recallId"]!.GetValue<string>());
            return await StartedAsync(context, recallId, answer.Body, context.Value(wait), context.Value(timeout), ct);
        });
        return command;
    }

    static async Task<int> StartedAsync(CommandContext context, Guid id, string accepted, bool wait, int timeout, CancellationToken ct)
    {
        if (!wait)
        {
            context.Output.Answer(accepted, _ => context.Output.Say($"Recall {id} started; follow it with: imagemanager recall wait {id}"));
            return ExitCodes.Success;
        }

        context.Output.Say($"Recall {id} started.");
        return await WaitAsync(context, id, timeout, ct);
    }

    static async Task<int> WaitAsync(CommandContext context, Guid id, int timeout, CancellationToken ct)
    {
        var completed = await new DistributionFollower(context.Api, new ProgressBar("recall", context.Output.IsJson))
            .FollowAsync(id, _ => { }, TimeSpan.FromSeconds(timeout), TimeSpan.FromSeconds(15), ct);
        var status = await context.Api.GetAsync($"recalls/{id}", ct);
        context.Output.Answer(status.Body, node => ShowTable(context.Output, node));
        DistributionFollower.CheckOutcome(id, completed);
        return ExitCodes.Success;
    }

    static Command Show(GlobalOptions globals)
    {
        var command = new Command("show", "A recall: reason, action, successor, its removal and successor distributions, progress and first targets.");
        var id = new Argument<Guid>("recall-id");
        command.Add(id);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.GetAsync($"recalls/{context.Value(id)}", ct);
            context.Output.Answer(answer.Body, node => ShowTable(context.Output, node));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Wait(GlobalOptions globals)
    {
        var command = new Command("wait", "Follow a recall to its end: exit 0 if every target succeeded, 6 if not.");
        var id = new Argument<Guid>("recall-id");
        var timeout = ImageCommands.TimeoutOption();
        command.Add(id);
        command.Add(timeout);
        CommandContext.Bind(command, globals, (context, ct) => WaitAsync(context, context.Value(id), context.Value(timeout), ct));
        return command;
    }

    static Command Retry(GlobalOptions globals)
    {
        var command = new Command("retry", "Recall again from the failed targets' VIMs, as a new recall.");
        var id = new Argument<Guid>("recall-id");
        var wait = new Option<bool>("--wait") { Description = "Follow the new recall to its end (exit 0 or 6)." };
        var timeout = ImageCommands.TimeoutOption();
        command.Add(id);
        command.Add(wait);
        command.Add(timeout);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.PostAsync($"recalls/{context.Value(id)}/retry", null, ct);
            var retryId = Guid.Parse(JsonNode.Parse(answer.Body)!["recallId"]!.GetValue<string>());
            return await StartedAsync(context, retryId, answer.Body, context.Value(wait), context.Value(timeout), ct);
        });
        return command;
    }

    static void ShowTable(ResultWriter output, JsonNode recall)
    {
        var fields = recall.DeepClone().AsObject();
        var progress = fields["progress"]?.AsObject() ?? [];
        fields.Remove("progress");
        output.Fields(fields, ShowOrder);
        var shown = progress.DeepClone().AsObject();
        var targets = shown["targets"]?.AsArray() ?? [];
        shown.Remove("targets");
        output.Fields(shown, ProgressOrder);
        output.Table(["VIM", "STATE", "VIM IMAGE", "ERROR"], targets.Select(t => new[]
        {
            ResultWriter.Cell(t?["vimId"]), ResultWriter.Cell(t?["state"]), ResultWriter.Cell(t?["vimImageId"]), ResultWriter.Cell(t?["lastError"]),
        }));
    }
}
