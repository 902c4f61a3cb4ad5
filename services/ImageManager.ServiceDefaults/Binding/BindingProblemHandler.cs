using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ImageManager.ServiceDefaults.Binding;

/// <summary>
/// Turns a request the framework could not bind (<see cref="BadHttpRequestException"/>: minimal APIs throw it for every
/// binding failure, see <see cref="StrictInputExtensions"/>; Kestrel for a body over the limit) into a problem+json that
/// names the parameter or field and says what it takes, instead of a bare status. The framework's messages name the
/// parameter; the endpoint's handler says its type, and the body's type what was expected where the JSON broke.
/// </summary>
public sealed partial class BindingProblemHandler(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var (status, field, reason) = Describe(bad, endpoint);
        httpContext.Response.StatusCode = status;
        var result = status == StatusCodes.Status400BadRequest && field is not null
            ? Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [reason] }, detail: reason)
            : Results.Problem(statusCode: status, detail: reason);
        await result.ExecuteAsync(httpContext);
        return true;
    }

    (int Status, string? Field, string Reason) Describe(BadHttpRequestException bad, Endpoint? endpoint)
    {
        var message = bad.Message;
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var most = BodyLimit().Match(message) is { Success: true } limit ? $"at most {limit.Groups["bytes"].Value} bytes" : "less";
            return (bad.StatusCode, null, $"The body is larger than this endpoint takes ({most}). Image bytes go to PUT /api/v1/images/{{id}}/file or the resumable upload, which take any size.");
        }

        if (BindFailed().Match(message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            var value = OutsideText.Sanitise(bind.Groups["value"].Value, 80);
            return (StatusCodes.Status400BadRequest, name, $"{name} is {Expected(endpoint, name, bind.Groups["type"].Value)}; got '{value}'.");
        }

        if (ReadFailed().Match(message) is { Success: true } read)
        {
            var bodyType = ParameterType(endpoint, read.Groups["name"].Value) ?? endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var (field, reason) = bad.InnerException is JsonException jsonException
                ? JsonBodyProblem.Describe(jsonException, bodyType, json.Value.SerializerOptions)
                : ("body", $"The body could not be read as JSON: {OutsideText.Sanitise(bad.InnerException?.Message ?? message, 300)}");
            return (StatusCodes.Status400BadRequest, field, reason);
        }

        if (NotProvided().Match(message) is { Success: true } missing)
        {
            var name = missing.Groups["name"].Value;
            var source = missing.Groups["source"].Value;
            var expected = Expected(endpoint, name, missing.Groups["type"].Value);
            return source == "body"
                ? (StatusCodes.Status400BadRequest, "body", $"This request takes a JSON body: {expected}, with Content-Type application/json.")
                : (StatusCodes.Status400BadRequest, name, $"{name} is required ({source}): {expected}.");
        }

        if (BodyMissing().IsMatch(message))
        {
            return (StatusCodes.Status400BadRequest, "body", "This request takes a JSON body, with Content-Type application/json.");
        }

        if (NotJson().Match(message) is { Success: true } media)
        {
            var got = OutsideText.Sanitise(media.Groups["type"].Value, 100);
            return (StatusCodes.Status415UnsupportedMediaType, null,
                $"This endpoint takes a JSON body (Content-Type application/json); got {(got.Length == 0 ? "no Content-Type" : $"'{got}'")}.");
        }

        return (bad.StatusCode, null, OutsideText.Sanitise(message, 300));
    }

    static string Expected(Endpoint? endpoint, string name, string typeName) =>
        ParameterType(endpoint, name) is { } type ? ExpectedValue.Of(type) : $"a value of type {typeName}";

    /// <summary>The handler's parameter of that name: minimal APIs keep the handler's method among the endpoint's metadata.</summary>
    static Type? ParameterType(Endpoint? endpoint, string name) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;

    // The framework's wording (Microsoft.AspNetCore.Http.Extensions' RequestDelegateFactory; Kestrel's body limit).
    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>[^ ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailed();

    [GeneratedRegex("""^Failed to read parameter "(?<type>.+) (?<name>[^ ]+)" from the request body as JSON\.$""")]
    private static partial Regex ReadFailed();

    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>[^ ]+)" was not provided from (?<source>.+)\.$""")]
    private static partial Regex NotProvided();

    [GeneratedRegex("""^Implicit body inferred for parameter""")]
    private static partial Regex BodyMissing();

    [GeneratedRegex("""^Expected a supported JSON media type but got "(?<type>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex NotJson();

    [GeneratedRegex("""max request body size is (?<bytes>[0-9]+) bytes""")]
    private static partial Regex BodyLimit();
}
