namespace ImageManager.Api.Downstream;

/// <summary>The Distribution service's answer to "which of these VIM ids are not registered?".</summary>
public sealed record UnknownVims(IReadOnlyList<string> Unknown);
