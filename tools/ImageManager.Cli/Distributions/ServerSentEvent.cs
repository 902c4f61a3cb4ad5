namespace ImageManager.Cli.Distributions;

/// <summary>One event of a <c>text/event-stream</c>: its id, its name (<c>event:</c>) and its data.</summary>
public sealed record ServerSentEvent(string? Id, string Name, string Data);
