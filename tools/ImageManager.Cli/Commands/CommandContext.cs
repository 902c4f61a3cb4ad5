using System.CommandLine;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Commands;

/// <summary>What a command's action works with: its parse result, the Api and the output.</summary>
public sealed class CommandContext(ParseResult parse, GlobalOptions globals) : IDisposable
{
    ApiClient? _api;

    public ParseResult Parse { get; } = parse;
    public ResultWriter Output { get; } = new(parse.GetValue(globals.Output), parse.GetValue(globals.Wide));

    /// <summary>The Api, with credentials found as <see cref="CredentialSource"/> says; made on first use.</summary>
    public ApiClient Api => _api ??= new ApiClient(CredentialSource.Resolve(Parse.GetValue(globals.Url), Parse.GetValue(globals.ApiKey)));

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);
    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public void Dispose() => _api?.Dispose();

    /// <summary>Sets <paramref name="command"/>'s action to <paramref name="action"/>, run with a context.</summary>
    public static void Bind(Command command, GlobalOptions globals, Func<CommandContext, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var context = new CommandContext(parse, globals);
            return await action(context, cancellationToken);
        });
}
