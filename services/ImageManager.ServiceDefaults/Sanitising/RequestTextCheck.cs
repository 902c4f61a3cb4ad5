using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ImageManager.ServiceDefaults.Sanitising;

/// <summary>
/// Every service's net under its validators: a query parameter or a route value with a control character, or a JSON body
/// with a NUL (or an unpaired surrogate) in any member, is answered 400 naming the parameter or the member, before an
/// endpoint can pass it to a database (PostgreSQL refuses NUL in text: that was a 500). The validators name the other
/// control characters per field, where a field's rule is known (a description may hold line breaks, a name may not).
/// </summary>
public sealed class RequestTextCheck(RequestDelegate next)
{
    /// <summary>JSON bodies up to this size are looked through (far above any request but a distribution to ten thousand VIMs).</summary>
    const int MaxScannedBytes = 8 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        var problem = QueryProblem(http.Request) ?? RouteProblem(http.Request) ?? await BodyProblemAsync(http.Request);
        if (problem is { } refused)
        {
            await Results.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Reason] }, detail: refused.Reason).ExecuteAsync(http);
            return;
        }

        await next(http);
    }

    static (string Field, string Reason)? QueryProblem(HttpRequest request)
    {
        foreach (var (name, values) in request.Query)
        {
            if (RequestText.FirstUnacceptable(name) >= 0)
            {
                return ("query", $"The name of query parameter '{OutsideText.Sanitise(name, 64)}' holds a control character; names and values take printable characters only.");
            }

            foreach (var value in values)
            {
                if (RequestText.ProblemWith(name, value) is { } reason)
                {
                    return (name, reason);
                }
            }
        }

        return null;
    }

    static (string Field, string Reason)? RouteProblem(HttpRequest request)
    {
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && RequestText.ProblemWith(name, text) is { } reason)
            {
                return (name, reason);
            }
        }

        return null;
    }

    static async Task<(string Field, string Reason)?> BodyProblemAsync(HttpRequest request)
    {
        if (request.ContentType is not { } contentType || !contentType.Split(';')[0].Contains("json", StringComparison.OrdinalIgnoreCase)
            || request.ContentLength is 0 or > MaxScannedBytes)
        {
            return null;
        }

        // Buffered, so the endpoint (or the Api's forwarder) reads the body again from the start.
        request.EnableBuffering();
        using var body = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int got;
            while (body.Length <= MaxScannedBytes && (got = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                body.Write(chunk, 0, got);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        request.Body.Position = 0;
        return body.Length > MaxScannedBytes ? null : JsonProblem(body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    /// <summary>The first member (by its path: <c>selector.region</c>, <c>vimIds[2]</c>) whose text holds a NUL or an unpaired surrogate.</summary>
    static (string Field, string Reason)? JsonProblem(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextValue(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = Unescaped(ref reader);
                        frames[^1].Property = name ?? reader.GetString();
                        if (name is not null && name.Contains('\0', StringComparison.Ordinal))
                        {
                            return ("body", $"The name of member '{OutsideText.Sanitise(name, 64)}' of {Path(frames)} holds a NUL; names take printable characters only.");
                        }

                        break;
                    case JsonTokenType.String:
                        NextValue(frames);
                        if (Unescaped(ref reader) is { } value && value.Contains('\0', StringComparison.Ordinal))
                        {
                            var field = Path(frames);
                            return (field, RequestText.ProblemWith(field, value)!);
                        }

                        break;
                    default:
                        NextValue(frames);
                        break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // An escape that makes no character (\ud800 alone): no text could be read from it.
            var field = Path(frames);
            return (field, $"{field} holds an unpaired surrogate escape; it takes printable characters only.");
        }
        catch (JsonException)
        {
            // Not JSON: the endpoint says so in its own words.
        }

        return null;
    }

    /// <summary>The text of an escaped string or name; unescaped JSON cannot hold a control character.</summary>
    static string? Unescaped(ref Utf8JsonReader reader) => reader.ValueIsEscaped ? reader.GetString() : null;

    static void NextValue(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    static string Path(List<Frame> frames)
    {
        var path = new System.Text.StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.Property is { } property)
            {
                path.Append(path.Length == 0 ? "" : ".").Append(OutsideText.Sanitise(property, 64));
            }
        }

        return path.Length == 0 ? "body" : path.ToString();
    }

    sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
    }
}
