using System.CommandLine;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Output;
using ImageManager.Cli.Receipts;

namespace ImageManager.Cli.Commands;

/// <summary><c>imagemanager receipt get|keys|verify</c>: signed receipts of what was on which VIM, and checking them offline.</summary>
public static class ReceiptCommands
{
    static readonly string[] ShowOrder = ["distributionId", "imageId", "sha512", "vimId", "vimImageId", "targetState", "activeAt", "issuedAt", "keyId"];

    public static Command Build(GlobalOptions globals)
    {
        var receipt = new Command("receipt", "Signed receipts: get one for a target, save the published keys, verify a receipt offline.");
        receipt.Add(Get(globals));
        receipt.Add(Keys(globals));
        receipt.Add(Verify(globals));
        return receipt;
    }

    static Command Get(GlobalOptions globals)
    {
        var command = new Command("get", "The receipt of a distribution's target that ended active; --out saves the signed receipt (compact JWS) to a file.");
        var id = new Argument<Guid>("distribution-id");
        var vim = new Argument<string>("vim-id");
        var output = new Option<FileInfo?>("--out") { Description = "Write the signed receipt here." };
        command.Add(id);
        command.Add(vim);
        command.Add(output);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.GetAsync($"distributions/{context.Value(id)}/targets/{Uri.EscapeDataString(context.Value(vim))}/receipt", ct);
            if (context.Value(output) is { } file)
            {
                var signed = JsonNode.Parse(answer.Body)?["receipt"]?.GetValue<string>() ?? throw new CliException(ExitCodes.Unexpected, "The Api's answer holds no receipt.");
                await File.WriteAllTextAsync(file.FullName, signed + "\n", ct);
            }

            context.Output.Answer(answer.Body, node => context.Output.Fields(node, ShowOrder));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Keys(GlobalOptions globals)
    {
        var command = new Command("keys", "The public keys that verify receipts (a JSON Web Key Set); --out saves them for offline verification.");
        var output = new Option<FileInfo?>("--out") { Description = "Write the key set here." };
        command.Add(output);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await context.Api.GetAsync("receipts/keys", ct);
            if (context.Value(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, answer.Body, ct);
            }

            context.Output.Answer(answer.Body, node => context.Output.Table(["KID", "ALG", "CREATED", "RETIRED"], (node["keys"]?.AsArray() ?? []).Select(k => new[]
            {
                ResultWriter.Cell(k?["kid"]), ResultWriter.Cell(k?["alg"]), ResultWriter.Cell(k?["createdAt"]), ResultWriter.Cell(k?["retiredAt"]),
            })));
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Verify(GlobalOptions globals)
    {
        var command = new Command("verify", "Verify a saved receipt offline with a saved key set: exit 0 and its claims if it holds, 6 if it does not. Needs no Api.");
        var receiptFile = new Argument<FileInfo>("receipt-file");
        var keysFile = new Option<FileInfo>("--keys") { Description = "The key set saved by 'imagemanager receipt keys --out'.", Required = true };
        var issuer = new Option<string?>("--issuer") { Description = "Also require this issuer (the installation's Receipts:Issuer)." };
        command.Add(receiptFile);
        command.Add(keysFile);
        command.Add(issuer);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var (claims, failure) = await ReceiptVerification.VerifyAsync(
                await ReadAsync(context.Value(receiptFile), ct), await ReadAsync(context.Value(keysFile)!, ct), context.Value(issuer));
            if (claims is null)
            {
                throw new CliException(ExitCodes.Failed, $"The receipt does not verify: {failure}");
            }

            context.Output.Answer(claims.ToJsonString(), node => context.Output.Fields(node, ["iss", "kid", .. ShowOrder]));
            return ExitCodes.Success;
        });
        return command;
    }

    static async Task<string> ReadAsync(FileInfo file, CancellationToken cancellationToken) =>
        file.Exists ? await File.ReadAllTextAsync(file.FullName, cancellationToken) : throw new CliException(ExitCodes.Usage, $"There is no file {file.FullName}.");
}
