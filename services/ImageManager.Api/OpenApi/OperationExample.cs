namespace ImageManager.Api.OpenApi;

/// <summary>
/// The examples of one operation: the request body (JSON) and the answer per status code; a success answer is JSON
/// unless <see cref="SuccessContentType"/> names another type (then the example is its text).
/// </summary>
public sealed record OperationExample(string? Request, IReadOnlyDictionary<string, string> Responses, string? SuccessContentType = null);
