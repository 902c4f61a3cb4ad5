using System.CommandLine;
using ImageManager.Cli.Commands;
using ImageManager.Cli.Connection;

namespace ImageManager.Cli;

/// <summary>
/// The <c>imagemanager</c> command: parses, runs, and turns every ending into an exit code (<see cref="ExitCodes"/>)
/// with its reason on stderr. The credential is never printed, whatever fails.
/// </summary>
public static class CliApplication
{
    public static RootCommand Build()
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("Image Manager: upload, catalogue and distribute VM images to VIMs through the Api.");
        globals.AddTo(root);
        root.Add(ImageCommands.Build(globals));
        root.Add(VimCommands.Build(globals));
        root.Add(DistributionCommands.BuildDistribute(globals));
        root.Add(DistributionCommands.Build(globals));
        root.Add(RecallCommands.Build(globals));
        root.Add(EventCommands.Build(globals));
        root.Add(SubscriptionCommands.Build(globals));
        root.Add(ReceiptCommands.Build(globals));
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"imagemanager: {error.Message}");
            }

            await Console.Error.WriteLineAsync($"Run 'imagemanager {string.Join(' ', CommandPath(parse))} --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException exception)
        {
            await Console.Error.WriteLineAsync($"imagemanager: {exception.Message}");
            return exception.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("imagemanager: interrupted.");
            return ExitCodes.Interrupted;
        }
        catch (Exception exception)
        {
            await Console.Error.WriteLineAsync($"imagemanager: unexpected error: {exception.GetType().Name}: {exception.Message}");
            return ExitCodes.Unexpected;
        }
    }

    static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Push(result.Command.Name);
        }

        return names;
    }
}
