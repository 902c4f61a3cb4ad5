using System.CommandLine;
using ImageManager.Cli.Connection;

namespace ImageManager.Cli.Commands;

/// <summary>The commands that act on one resource named by its id, shared by images, VIMs and subscriptions.</summary>
public static class ResourceCommand
{
    /// <summary>Calls the Api for the resource and prints its answer: the resource's fields, in <paramref name="showOrder"/>.</summary>
    public static Command OnOne<TId>(GlobalOptions globals, string name, string description, string idName, string[] showOrder,
        Func<ApiClient, TId, CancellationToken, Task<ApiAnswer>> call)
    {
        var command = new Command(name, description);
        var id = new Argument<TId>(idName);
        command.Add(id);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var answer = await call(context.Api, context.Value(id), ct);
            context.Output.Answer(answer.Body, node => context.Output.Fields(node, showOrder));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Deletes the resource at <paramref name="pathOf"/> its id and says so (<paramref name="what"/>: "VIM", "subscription").</summary>
    public static Command Remove(GlobalOptions globals, string description, string idName, string what, Func<string, string> pathOf)
    {
        var command = new Command("remove", description);
        var id = new Argument<string>(idName);
        command.Add(id);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            await context.Api.DeleteAsync(pathOf(ApiClient.Escape(context.Value(id))), ct);
            context.Output.Say($"Removed {what} {context.Value(id)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
