using System.CommandLine;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Commands;

/// <summary><c>imagemanager vim ...</c>: the registry of VIMs (clouds) images are distributed to.</summary>
public static class VimCommands
{
    static readonly string[] ShowOrder = ["id", "type", "endpoint", "identityUrl", "region", "tenant", "tags", "uploadMode", "hasCredentials", "health"];

    public static Command Build(GlobalOptions globals)
    {
        var vim = new Command("vim", "VIMs: register, list, show, update, remove, probe; many at once from a file or from ONAP A&AI.");
        vim.Add(Add(globals));
        vim.Add(Apply(globals));
        vim.Add(ImportAai(globals));
        vim.Add(List(globals));
        vim.Add(ResourceCommand.OnOne<string>(globals, "show", "Show one VIM with its health (credentials are never shown).", "vim-id", ShowOrder, (api, id, ct) => api.GetAsync($"vims/{ApiClient.Escape(id)}", ct)));
        vim.Add(Update(globals));
        vim.Add(ResourceCommand.Remove(globals, "Remove a VIM from the registry (refused while a distribution to it is unfinished).", "vim-id", "VIM", id => $"vims/{id}"));
        vim.Add(ResourceCommand.OnOne<string>(globals, "probe", "Check now that the VIM answers with its credentials.", "vim-id", ShowOrder, (api, id, ct) => api.PostAsync($"vims/{ApiClient.Escape(id)}/probe", null, ct)));
        vim.Add(ResourceCommand.ListByState<string>(globals, "images", "Which images are on the VIM, by image id.", "vim-id", "Only in this state (active, failed, ...).",
            id => $"vims/{ApiClient.Escape(id)}/images", "images", (output, images) => output.Table(["IMAGE", "STATE", "VIM IMAGE", "CHANGED"], images.Select(i => new[]
            {
                ResultWriter.Cell(i?["imageId"]), ResultWriter.Cell(i?["state"]), ResultWriter.Cell(i?["vimImageId"]), ResultWriter.Cell(i?["changedAt"]),
            }))));
        return vim;
    }

    static BodyField[] Fields(bool adding) =>
    [
        BodyField.Of("--type", "type", BodyFieldKind.Text, adding ? "openstack (Glance), oci-registry, ... (default openstack)." : "The VIM's type."),
        BodyField.Of("--endpoint", "endpoint", BodyFieldKind.Text, "Where it answers, e.g. http://glance:9292."),
        BodyField.Of("--identity-url", "identityUrl", BodyFieldKind.Text, "Keystone v3, ending in /v3."),
        BodyField.Of("--tenant", "tenant", BodyFieldKind.Text, "The tenant it belongs to."),
        BodyField.Of("--region", "region", BodyFieldKind.Text, "Its region."),
        BodyField.Of("--tag", "tags", BodyFieldKind.List, "A tag"),
        BodyField.Of("--upload-mode", "uploadMode", BodyFieldKind.Text, "put or web-download."),
    ];

    static Option<string?> CredentialsFile() => new("--credentials-file")
    {
        Description = "A JSON file with the VIM's credentials (kept off the command line and out of shell history).",
    };

    static void ReadCredentials(CommandContext context, Option<string?> option, JsonObject body)
    {
        if (context.Value(option) is not { } path)
        {
            return;
        }

        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.Usage, $"There is no file {path}.");
        }

        body["credentials"] = JsonNode.Parse(File.ReadAllText(path)) ?? throw new CliException(ExitCodes.Usage, $"{path} holds no JSON.");
    }

    static Command Add(GlobalOptions globals)
    {
        var command = new Command("add", "Register a VIM, then probe it: exit 8 if it is registered but did not answer.");
        var id = new Argument<string>("vim-id") { Description = "Its id, e.g. glance-paris-1." };
        var fields = Fields(adding: true);
        var credentials = CredentialsFile();
        var body = BodyField.BodyOption();
        var noProbe = new Option<bool>("--no-probe") { Description = "Register only; do not ask the VIM now (it is probed in the background all the same)." };
        command.Add(id);
        foreach (var field in fields)
        {
            command.Add(field.Option);
        }

        command.Add(credentials);
        command.Add(body);
        command.Add(noProbe);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var request = BodyField.Compose(context, body, fields);
            request["id"] = context.Value(id);
            request["type"] ??= "openstack";
            ReadCredentials(context, credentials, request);
            var answer = await context.Api.PostAsync("vims", request, ct);
            context.Output.Answer(answer.Body, node => context.Output.Say($"Registered VIM {node["id"]} ({node["type"]}, {node["endpoint"]})."));
            return context.Value(noProbe) ? ExitCodes.Success : await ProbeAddedAsync(context, context.Value(id), ct);
        });
        return command;
    }

    /// <summary>
    /// Asks a VIM just registered whether it answers: a registration says nothing of that (its health is "unknown"), and a
    /// wrong address or password is best found while the operator is still at the command.
    /// </summary>
    static async Task<int> ProbeAddedAsync(CommandContext context, string vimId, CancellationToken ct)
    {
        JsonNode? health;
        try
        {
            health = JsonNode.Parse((await context.Api.PostAsync($"vims/{ApiClient.Escape(vimId)}/probe", null, ct)).Body);
        }
        catch (CliException probeFailed)
        {
            throw new CliException(ExitCodes.VimNotAnswering, $"VIM {vimId} is registered, but it could not be probed: {probeFailed.Message}", probeFailed);
        }

        if (health?["state"]?.GetValue<string>() == "healthy")
        {
            context.Output.Say($"VIM {vimId} answered: healthy.");
            return ExitCodes.Success;
        }

        var why = ResultWriter.Cell(health?["lastError"]).TrimEnd('.');
        throw new CliException(ExitCodes.VimNotAnswering,
            $"VIM {vimId} is registered, but it did not answer ({ResultWriter.Cell(health?["reason"])}): {why}. " +
            $"It is probed again in the background; 'imagemanager vim probe {vimId}' asks now, 'imagemanager vim update {vimId}' corrects its address or credentials.");
    }

    /// <summary><c>vim apply FILE</c>: the bulk upsert, from a file of registrations (kept out of the command line: it holds credentials).</summary>
    static Command Apply(GlobalOptions globals)
    {
        var command = new Command("apply", "Register or update, all or nothing, up to 10,000 VIMs from a JSON file: {\"vims\": [...]} or an array of registrations as 'vim add --body' takes them.");
        var file = new Argument<string>("file") { Description = "The JSON file." };
        command.Add(file);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var path = context.Value(file);
            if (!File.Exists(path))
            {
                throw new CliException(ExitCodes.Usage, $"There is no file {path}.");
            }

            var content = JsonNode.Parse(File.ReadAllText(path)) ?? throw new CliException(ExitCodes.Usage, $"{path} holds no JSON.");
            var body = content is JsonArray vims ? new JsonObject { ["vims"] = vims } : content;
            var answer = await context.Api.PutAsync("vims", body, ct);
            context.Output.Answer(answer.Body, node => context.Output.Say($"VIMs: {node["created"]} registered, {node["updated"]} updated, {node["unchanged"]} already as given."));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>vim import-aai</c>: one import from A&amp;AI's cloud regions now, and its report.</summary>
    static Command ImportAai(GlobalOptions globals)
    {
        var command = new Command("import-aai", "Import VIMs from ONAP A&AI's cloud regions now; shows what was registered, updated, skipped and what A&AI no longer lists (kept).");
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.PostAsync("vims/imports/aai", null, ct);
            context.Output.Answer(answer.Body, node =>
            {
                context.Output.Say($"A&AI ({node["source"]}): {node["regions"]} cloud regions; {node["created"]} VIMs registered, {node["updated"]} updated, {node["unchanged"]} unchanged.");
                if (node["skipped"] is JsonArray { Count: > 0 } skipped)
                {
                    context.Output.Table(["SKIPPED REGION", "WHY"], skipped.Select(s => new[] { ResultWriter.Cell(s?["vimId"]), ResultWriter.Cell(s?["reason"]) }));
                }

                if (node["vanished"] is JsonArray { Count: > 0 } vanished)
                {
                    context.Output.Say($"No longer in A&AI (kept; remove them with 'vim remove' once the cloud is gone): {string.Join(", ", vanished.Select(v => ResultWriter.Cell(v)))}");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    static Command List(GlobalOptions globals)
    {
        var command = new Command("list", "List VIMs in id order.");
        var region = new Option<string?>("--region") { Description = "Those of this region." };
        var tag = new Option<string?>("--tag") { Description = "Those with this tag." };
        var health = new Option<string?>("--health") { Description = "Those in this health state: healthy, unhealthy or unknown (not answered yet)." };
        var paging = new PagingOptions();
        command.Add(region);
        command.Add(tag);
        command.Add(health);
        paging.AddTo(command);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var query = new List<KeyValuePair<string, string>>();
            if (context.Value(region) is { } r)
            {
                query.Add(new("region", r));
            }

            if (context.Value(tag) is { } t)
            {
                query.Add(new("tag", t));
            }

            if (context.Value(health) is { } h)
            {
                query.Add(new("health", h));
            }

            var body = await paging.FetchAsync(context, "vims", "vims", query, ct);
            context.Output.Answer(body, node =>
            {
                context.Output.Table(["ID", "TYPE", "ENDPOINT", "REGION", "TAGS", "HEALTH"], (node["vims"]?.AsArray() ?? []).Select(v => new[]
                {
                    ResultWriter.Cell(v?["id"]), ResultWriter.Cell(v?["type"]), ResultWriter.Cell(v?["endpoint"]), ResultWriter.Cell(v?["region"]),
                    ResultWriter.Cell(v?["tags"]), ResultWriter.Cell(v?["health"]?["state"]),
                }), dropFirst: ["TAGS", "ENDPOINT", "TYPE"]);
                if (node["next"] is { } next)
                {
                    context.Output.Say($"More: --marker {ResultWriter.Cell(next)} (or --all)");
                }
            });
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Update(GlobalOptions globals)
    {
        var command = new Command("update", "Change a VIM (a JSON merge patch of the options given); credentials are replaced whole.");
        var id = new Argument<string>("vim-id");
        var fields = Fields(adding: false);
        var credentials = CredentialsFile();
        var body = BodyField.BodyOption();
        command.Add(id);
        foreach (var field in fields)
        {
            command.Add(field.Option);
        }

        command.Add(credentials);
        command.Add(body);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var patch = BodyField.Compose(context, body, fields);
            ReadCredentials(context, credentials, patch);
            if (patch.Count == 0)
            {
                throw new CliException(ExitCodes.Usage, "Nothing to change: give at least one field option, --credentials-file or --body.");
            }

            var answer = await context.Api.PatchAsync($"vims/{ApiClient.Escape(context.Value(id))}", patch, ct);
            context.Output.Answer(answer.Body, node => context.Output.Fields(node, ShowOrder));
            return ExitCodes.Success;
        });
        return command;
    }
}
