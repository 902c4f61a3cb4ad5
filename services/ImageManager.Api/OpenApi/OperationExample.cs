namespace ImageManager.Api.OpenApi;

/// <summary>The examples of one operation: the request body (JSON) and the answer per status code.</summary>
public sealed record OperationExample(string? Request, IReadOnlyDictionary<string, string> Responses);
