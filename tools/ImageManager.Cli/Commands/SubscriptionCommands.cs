using System.CommandLine;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Commands;

/// <summary><c>imagemanager subscription ...</c>: webhooks that receive the notifications (CloudEvents), and their deliveries.</summary>
public static class SubscriptionCommands
{
    /// <summary>Where a secret may come from besides a file: kept off the command line, where ps and shell history would show it.</summary>
    public const string SecretVariable = "IMAGEMANAGER_WEBHOOK_SECRET";

    static readonly string[] ShowOrder = ["id", "url", "events", "description", "tenant", "allTenants", "state", "consecutiveFailures", "suspendedReason", "suspendedAt", "createdAt", "updatedAt"];

    public static Command Build(GlobalOptions globals)
    {
        var subscription = new Command("subscription", "Webhook subscriptions: add, list, show, update, remove, resume, deliveries.");
        subscription.Add(Add(globals));
        subscription.Add(List(globals));
        subscription.Add(ResourceCommand.OnOne<string>(globals, "show", "Show one subscription (never its secret).", "subscription-id", ShowOrder, (api, id, ct) => api.GetAsync($"subscriptions/{ApiClient.Escape(id)}", ct)));
        subscription.Add(Update(globals));
        subscription.Add(ResourceCommand.Remove(globals, "Delete a subscription and its delivery records.", "subscription-id", "subscription", id => $"subscriptions/{id}"));
        subscription.Add(ResourceCommand.OnOne<string>(globals, "resume", "Resume a suspended subscription; what waited is sent now.", "subscription-id", ShowOrder, (api, id, ct) => api.PostAsync($"subscriptions/{ApiClient.Escape(id)}/resume", null, ct)));
        subscription.Add(ResourceCommand.ListByState<string>(globals, "deliveries", "A subscription's deliveries, newest first: state, attempts, the last status and error.",
            "subscription-id", "Only pending, delivered or failed ones.", id => $"subscriptions/{ApiClient.Escape(id)}/deliveries", "deliveries",
            (output, deliveries) => output.Table(["EVENT TYPE", "SUBJECT", "STATE", "ATTEMPTS", "STATUS", "LAST ERROR", "NEXT ATTEMPT"], deliveries.Select(d => new[]
            {
                ResultWriter.Cell(d?["eventType"]), ResultWriter.Cell(d?["eventSubject"]), ResultWriter.Cell(d?["state"]), ResultWriter.Cell(d?["attempts"]),
                ResultWriter.Cell(d?["lastStatus"]), ResultWriter.Cell(d?["lastError"]), ResultWriter.Cell(d?["nextAttemptAt"]),
            }))));
        return subscription;
    }

    static BodyField[] Fields() =>
    [
        BodyField.Of("--event", "events", BodyFieldKind.List, "A CloudEvents type, or a prefix ending in '*' (none: every type)"),
        BodyField.Of("--description", "description", BodyFieldKind.Text, "What it is for."),
    ];

    static Option<string?> SecretFile() => new("--secret-file")
    {
        Description = $"A file holding the secret that signs deliveries (16 to 256 characters); or set {SecretVariable}.",
    };

    static void ReadSecret(CommandContext context, Option<string?> option, JsonObject body, bool required)
    {
        var secret = context.Value(option) is { } path
            ? File.Exists(path) ? File.ReadAllText(path).Trim() : throw new CliException(ExitCodes.Usage, $"There is no file {path}.")
            : Environment.GetEnvironmentVariable(SecretVariable);
        if (!string.IsNullOrEmpty(secret))
        {
            body["secret"] = secret;
        }
        else if (required && body["secret"] is null)
        {
            throw new CliException(ExitCodes.Usage, $"A subscription needs a secret: --secret-file, or {SecretVariable}.");
        }
    }

    static Command Add(GlobalOptions globals)
    {
        var command = new Command("add", "Subscribe a webhook URL to notifications.");
        var url = new Argument<string>("url") { Description = "Where deliveries are POSTed (http or https)." };
        var fields = Fields();
        var secret = SecretFile();
        var body = BodyField.BodyOption();
        command.Add(url);
        foreach (var field in fields)
        {
            command.Add(field.Option);
        }

        command.Add(secret);
        command.Add(body);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var request = BodyField.Compose(context, body, fields);
            request["url"] = context.Value(url);
            ReadSecret(context, secret, request, required: true);
            var answer = await context.Api.PostAsync("subscriptions", request, ct);
            context.Output.Answer(answer.Body, node => context.Output.Say($"Subscribed {node["url"]}: subscription {node["id"]}."));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command List(GlobalOptions globals)
    {
        var command = new Command("list", "List the subscriptions you can see, oldest first.");
        var paging = new PagingOptions();
        paging.AddTo(command);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var body = await paging.FetchAsync(context, "subscriptions", "subscriptions", [], ct);
            context.Output.Answer(body, node => context.Output.Table(["ID", "URL", "EVENTS", "STATE", "FAILURES", "TENANT"], (node["subscriptions"]?.AsArray() ?? []).Select(s => new[]
            {
                ResultWriter.Cell(s?["id"]), ResultWriter.Cell(s?["url"]), ResultWriter.Cell(s?["events"]), ResultWriter.Cell(s?["state"]),
                ResultWriter.Cell(s?["consecutiveFailures"]), ResultWriter.Cell(s?["tenant"]),
            })));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Update(GlobalOptions globals)
    {
        var command = new Command("update", "Change a subscription's URL, events, description or secret.");
        var id = new Argument<string>("subscription-id");
        var url = new Option<string?>("--url") { Description = "A new URL." };
        var fields = Fields();
        var secret = SecretFile();
        var body = BodyField.BodyOption();
        command.Add(id);
        command.Add(url);
        foreach (var field in fields)
        {
            command.Add(field.Option);
        }

        command.Add(secret);
        command.Add(body);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var patch = BodyField.Compose(context, body, fields);
            if (context.Value(url) is { } newUrl)
            {
                patch["url"] = newUrl;
            }

            ReadSecret(context, secret, patch, required: false);
            if (patch.Count == 0)
            {
                throw new CliException(ExitCodes.Usage, "Nothing to change: give --url, --event, --description, --secret-file or --body.");
            }

            var answer = await context.Api.PatchAsync($"subscriptions/{ApiClient.Escape(context.Value(id))}", patch, ct);
            context.Output.Answer(answer.Body, node => context.Output.Fields(node, ShowOrder));
            return ExitCodes.Success;
        });
        return command;
    }
}
