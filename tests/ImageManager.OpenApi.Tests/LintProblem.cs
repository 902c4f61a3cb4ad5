namespace ImageManager.OpenApi.Tests;

/// <summary>One finding of <c>redocly lint</c>: the rule, its severity (<c>error</c>, <c>warn</c>), what it says and where (a JSON pointer into the document).</summary>
public sealed record LintProblem(string Rule, string Severity, string Message, string? Where)
{
    public override string ToString() => $"{Severity} {Rule} at {Where}: {Message}";
}
