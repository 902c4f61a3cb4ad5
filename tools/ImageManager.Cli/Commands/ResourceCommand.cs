using System.CommandLine;
using System.Text.Json.Nodes;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Output;

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

    /// <summary>
    /// A paged list that belongs to one resource (a distribution's targets, a VIM's images, a subscription's deliveries),
    /// optionally of one state: the Api's JSON, or <paramref name="table"/> of its <paramref name="itemsField"/>.
    /// </summary>
    public static Command ListByState<TId>(GlobalOptions globals, string name, string description, string idName, string stateDescription,
        Func<TId, string> pathOf, string itemsField, Action<ResultWriter, JsonArray> table)
    {
        var command = new Command(name, description);
        var id = new Argument<TId>(idName);
        var state = new Option<string?>("--state") { Description = stateDescription };
        var paging = new PagingOptions();
        command.Add(id);
        command.Add(state);
        paging.AddTo(command);
        CommandContext.Bind(command, globals, async (context, ct) =>
        {
            var query = new List<KeyValuePair<string, string>>();
            if (context.Value(state) is { } s)
            {
                query.Add(new("state", s));
            }

            var body = await paging.FetchAsync(context, pathOf(context.Value(id)), itemsField, query, ct);
            context.Output.Answer(body, node => table(context.Output, node[itemsField]?.AsArray() ?? []));
            return ExitCodes.Success;
        });
        return command;
    }
}
