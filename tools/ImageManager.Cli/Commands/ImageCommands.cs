using System.CommandLine;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Output;
using ImageManager.Cli.Uploads;

namespace ImageManager.Cli.Commands;

/// <summary><c>imagemanager image ...</c>: the catalogue's images and their bytes.</summary>
public static class ImageCommands
{
    static readonly string[] ShowOrder = ["id", "name", "version", "kind", "status", "sizeBytes", "diskFormat", "containerFormat", "vendor", "visibility", "owner"];

    public static Command Build(GlobalOptions globals)
    {
        var image = new Command("image", "Images: create, upload or import their bytes, list, show, update, deactivate, delete.");
        image.Add(Create(globals));
        image.Add(Upload(globals));
        image.Add(Import(globals));
        image.Add(List(globals));
        image.Add(ResourceCommand.OnOne<Guid>(globals, "show", "Show one image, its validation verdict and its locations.", "image-id", ShowOrder, (api, id, ct) => api.GetAsync($"images/{id}", ct)));
        image.Add(Update(globals));
        image.Add(Delete(globals));
        image.Add(ResourceCommand.OnOne<Guid>(globals, "deactivate", "Stop an active image's use for new distributions.", "image-id", ShowOrder, (api, id, ct) => api.PostAsync($"images/{id}/deactivate", null, ct)));
        image.Add(ResourceCommand.OnOne<Guid>(globals, "reactivate", "Let a deactivated image be distributed again.", "image-id", ShowOrder, (api, id, ct) => api.PostAsync($"images/{id}/reactivate", null, ct)));
        image.Add(Locations(globals));
        return image;
    }

    static BodyField[] Fields(bool creating) =>
    [
        BodyField.Of("--name", "name", BodyFieldKind.Text, creating ? "The image's name (required)." : "A new name."),
        BodyField.Of("--version", "version", BodyFieldKind.Text, creating ? "Its version, e.g. 1.2.0 (required)." : "A new version."),
        BodyField.Of("--kind", "kind", BodyFieldKind.Text, "vm-image, container-image or software-package."),
        BodyField.Of("--vendor", "vendor", BodyFieldKind.Text, "Who made it."),
        BodyField.Of("--description", "description", BodyFieldKind.Text, "What it is."),
        BodyField.Of("--disk-format", "diskFormat", BodyFieldKind.Text, "qcow2, raw, vmdk, iso, ..."),
        BodyField.Of("--container-format", "containerFormat", BodyFieldKind.Text, "bare, ovf, ..."),
        BodyField.Of("--sha256", "sha256", BodyFieldKind.Text, "The SHA-256 the bytes must have."),
        BodyField.Of("--sha512", "sha512", BodyFieldKind.Text, "The SHA-512 the bytes must have."),
        BodyField.Of("--visibility", "visibility", BodyFieldKind.Text, "private, shared or public."),
        BodyField.Of("--owner", "owner", BodyFieldKind.Text, "The owning tenant."),
        BodyField.Of("--share-with", "sharedWith", BodyFieldKind.List, "A tenant a shared image is shared with"),
        BodyField.Of("--tag", "tags", BodyFieldKind.List, "A tag"),
        BodyField.Of("--property", "properties", BodyFieldKind.Map, "A property key=value"),
        BodyField.Of("--os-distro", "osDistro", BodyFieldKind.Text, "The OS distribution."),
        BodyField.Of("--os-version", "osVersion", BodyFieldKind.Text, "The OS version."),
        BodyField.Of("--architecture", "architecture", BodyFieldKind.Text, "x86_64, aarch64, ..."),
        BodyField.Of("--min-ram-mb", "minRamMb", BodyFieldKind.Number, "Least RAM to boot, MB."),
        BodyField.Of("--min-disk-gb", "minDiskGb", BodyFieldKind.Number, "Least disk to boot, GB."),
        BodyField.Of("--protected", "protected", BodyFieldKind.Boolean, "Refuse deletion while true."),
        BodyField.Of("--end-of-life", "endOfLife", BodyFieldKind.Text, "Date after which it should not be used (yyyy-mm-dd)."),
    ];

    static Command Create(GlobalOptions globals)
    {
        var command = new Command("create", "Create an image record (status 'queued'); then 'image upload' or 'image import' its bytes.");
        var fields = Fields(creating: true);
        var body = BodyField.BodyOption();
        foreach (var field in fields)
        {
            command.Add(field.Option);
        }

        command.Add(body);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var request = BodyField.Compose(context, body, fields);
            request["kind"] ??= "vm-image";
            var answer = await context.Api.PostAsync("images", request, ct);
            context.Output.Answer(answer.Body, node => context.Output.Say($"Created image {node["id"]} ({node["name"]} {node["version"]}), status {node["status"]}."));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Upload(GlobalOptions globals)
    {
        var command = new Command("upload", "Upload the image's bytes with a progress bar; a broken-off upload resumes where it stopped (run it again).");
        var id = new Argument<Guid>("image-id") { Description = "The image (status 'queued')." };
        var file = new Argument<string>("file") { Description = "The file to upload." };
        var wait = new Option<bool>("--wait") { Description = "Wait for validation's verdict: exit 0 when active, 6 when rejected." };
        var timeout = TimeoutOption();
        var rate = new Option<long?>("--limit-rate") { Description = "At most this many bytes per second." };
        var retries = new Option<int>("--retries") { Description = "How often to continue after a broken connection.", DefaultValueFactory = _ => 3 };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar." };
        command.Add(id);
        command.Add(file);
        command.Add(wait);
        command.Add(timeout);
        command.Add(rate);
        command.Add(retries);
        command.Add(quiet);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var imageId = context.Value(id);
            var uploader = new ResumableUploader(context.Api, new ProgressBar("upload", context.Value(quiet)))
            {
                BytesPerSecond = context.Value(rate),
                Retries = context.Value(retries),
            };
            var answer = await uploader.UploadAsync(imageId, context.Value(file), ct);
            var body = answer.Body;
            context.Output.Say($"Uploaded {context.Value(file)} to image {imageId}; it is being validated.");
            if (context.Value(wait))
            {
                body = await ImageWaiter.WaitAsync(context, imageId, TimeSpan.FromSeconds(context.Value(timeout)), ct);
            }

            context.Output.Answer(body, node => context.Output.Say($"Image {imageId} is {node["status"]}."));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Import(GlobalOptions globals)
    {
        var command = new Command("import", "Have the Api fetch the image's bytes from a URL (web-download; only hosts an operator allows).");
        var id = new Argument<Guid>("image-id") { Description = "The image (status 'queued')." };
        var uri = new Argument<string>("uri") { Description = "Where the bytes are." };
        var wait = new Option<bool>("--wait") { Description = "Wait for validation's verdict: exit 0 when active, 6 when rejected or the import failed." };
        var timeout = TimeoutOption();
        command.Add(id);
        command.Add(uri);
        command.Add(wait);
        command.Add(timeout);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var imageId = context.Value(id);
            var before = JsonNode.Parse((await context.Api.GetAsync($"images/{imageId}", ct)).Body)?["importError"]?.GetValue<string>();
            var answer = await context.Api.PostAsync($"images/{imageId}/import", new JsonObject { ["method"] = "web-download", ["uri"] = context.Value(uri) }, ct);
            var body = answer.Body;
            context.Output.Say($"Import of image {imageId} from {context.Value(uri)} started.");
            if (context.Value(wait))
            {
                body = await ImageWaiter.WaitAsync(context, imageId, TimeSpan.FromSeconds(context.Value(timeout)), ct, before);
                context.Output.Answer(body, node => context.Output.Say($"Image {imageId} is {node["status"]}."));
            }
            else if (context.Output.IsJson)
            {
                context.Output.Answer(body, _ => { });
            }

            return ExitCodes.Success;
        });
        return command;
    }

    static Command List(GlobalOptions globals)
    {
        var command = new Command("list", "List images (newest first unless --sort), a page at a time.");
        (string Option, string Query, string Description)[] filters =
        [
            ("--name", "name", "Exactly this name."),
            ("--name-prefix", "namePrefix", "Names that start so."),
            ("--version", "version", "Exactly this version, or 'latest' (with --name)."),
            ("--kind", "kind", "vm-image, container-image or software-package."),
            ("--vendor", "vendor", "This vendor's."),
            ("--status", "status", "queued, validating, active, rejected, deactivated, ..."),
            ("--visibility", "visibility", "private, shared or public."),
            ("--owner", "owner", "This tenant's."),
            ("--on-vim", "onVim", "Those on this VIM."),
            ("--sort", "sort", "Up to three keys, e.g. name:asc,version:desc."),
        ];
        var options = filters.Select(f => (f.Query, Option: new Option<string?>(f.Option) { Description = f.Description })).ToList();
        var tags = new Option<string[]>("--tag") { Description = "With this tag (repeat: every one)." };
        var properties = new Option<string[]>("--property") { Description = "With this property key=value (repeat: every one)." };
        var paging = new PagingOptions();
        options.ForEach(o => command.Add(o.Option));
        command.Add(tags);
        command.Add(properties);
        paging.AddTo(command);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var query = options.Where(o => context.Value(o.Option) is not null).Select(o => new KeyValuePair<string, string>(o.Query, context.Value(o.Option)!)).ToList();
            query.AddRange((context.Value(tags) ?? []).Select(t => new KeyValuePair<string, string>("tag", t)));
            query.AddRange((context.Value(properties) ?? []).Select(p => new KeyValuePair<string, string>("property", p)));
            var body = await paging.FetchAsync(context, "images", "images", query, ct);
            context.Output.Answer(body, node => ListTable(context.Output, node));
            return ExitCodes.Success;
        });
        return command;
    }

    static void ListTable(ResultWriter output, JsonNode page)
    {
        var images = page["images"]?.AsArray() ?? [];
        output.Table(["ID", "NAME", "VERSION", "KIND", "STATUS", "SIZE", "UPDATED"], images.Select(i => new[]
        {
            ResultWriter.Cell(i?["id"]), ResultWriter.Cell(i?["name"]), ResultWriter.Cell(i?["version"]), ResultWriter.Cell(i?["kind"]),
            ResultWriter.Cell(i?["status"]), i?["sizeBytes"] is { } size ? ResultWriter.Bytes(size.GetValue<long>()) : "", ResultWriter.Cell(i?["updatedAt"]),
        }), dropFirst: ["UPDATED", "KIND", "SIZE"]);
        if (page["next"] is { } next)
        {
            output.Say($"More: --marker {ResultWriter.Cell(next)} (or --all)");
        }
    }

    static Command Update(GlobalOptions globals)
    {
        var command = new Command("update", "Change an image's mutable fields (a JSON merge patch of the options given).");
        var id = new Argument<Guid>("image-id");
        var fields = Fields(creating: false);
        var body = BodyField.BodyOption();
        command.Add(id);
        foreach (var field in fields)
        {
            command.Add(field.Option);
        }

        command.Add(body);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var patch = BodyField.Compose(context, body, fields);
            if (patch.Count == 0)
            {
                throw new CliException(ExitCodes.Usage, "Nothing to change: give at least one field option or --body.");
            }

            var answer = await context.Api.PatchAsync($"images/{context.Value(id)}", patch, ct);
            context.Output.Answer(answer.Body, node => context.Output.Fields(node, ShowOrder));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Delete(GlobalOptions globals)
    {
        var command = new Command("delete", "Delete an image; refused while protected or on a VIM unless --purge (then it goes once removed from every VIM).");
        var id = new Argument<Guid>("image-id");
        var purge = new Option<bool>("--purge") { Description = "Remove it from every VIM first." };
        command.Add(id);
        command.Add(purge);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var imageId = context.Value(id);
            var answer = await context.Api.DeleteAsync($"images/{imageId}" + (context.Value(purge) ? "?purge=true" : ""), ct);
            if (context.Output.IsJson && answer.Body.Length > 0)
            {
                context.Output.Answer(answer.Body, _ => { });
            }

            context.Output.Say(answer.StatusCode == System.Net.HttpStatusCode.Accepted
                ? $"Image {imageId} is being removed from its VIMs; it goes once they no longer have it."
                : $"Deleted image {imageId}.");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Locations(GlobalOptions globals)
    {
        var command = new Command("locations", "Which VIMs have the image, and in what state.");
        var id = new Argument<Guid>("image-id");
        command.Add(id);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.GetAsync($"images/{context.Value(id)}/locations", ct);
            context.Output.Answer(answer.Body, node =>
            {
                var rows = (node as JsonArray ?? node["locations"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
                var columns = rows.SelectMany(r => r.Select(p => p.Key)).Distinct().ToList();
                var headers = columns.Select(c => c.ToUpperInvariant()).ToList();
                // The VIM and the state say where the image is; the rest goes first when the terminal is narrow.
                context.Output.Table(headers, rows.Select(r => columns.Select(c => ResultWriter.Cell(r[c])).ToArray()),
                    dropFirst: [.. headers.Where(h => h is not ("VIMID" or "STATE")).Reverse()]);
            });
            return ExitCodes.Success;
        });
        return command;
    }

    public static Option<int> TimeoutOption() => new("--timeout")
    {
        Description = "Seconds to wait before giving up with exit code 7.",
        DefaultValueFactory = _ => 3600,
    };
}
