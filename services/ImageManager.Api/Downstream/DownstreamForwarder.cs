using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Http.Features;

namespace ImageManager.Api.Downstream;

/// <summary>
/// Relays a request to the service that owns the data and its answer back unchanged: status, problem details,
/// <c>Location</c>, <c>ETag</c>; <c>If-Match</c> and <c>Last-Event-ID</c> go along with the request. The public routes and
/// the owners' routes are the same, so nothing is rewritten. An error that is not the service's own (no answer, or a
/// balancer's page instead of problem details) becomes a 503 problem naming the service. A server-sent event stream is passed on as it comes, each
/// read flushed at once, for as long as the client stays.
/// </summary>
public static class DownstreamForwarder
{
    public static async Task<IResult> ForwardAsync(HttpContext http, HttpClient client, string serviceName)
    {
        var request = http.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        foreach (var header in new[] { "If-Match", "Last-Event-ID" })
        {
            if (request.Headers.TryGetValue(header, out var values))
            {
                message.Headers.TryAddWithoutValidation(header, (IEnumerable<string>)values!);
            }
        }

        if (request.ContentLength > 0)
        {
            message.Content = new StreamContent(request.Body);
        }
        else if (request.Headers.TransferEncoding.Count > 0)
        {
            // No length announced (chunked): the body is read here, up to the limit, before anything is forwarded; a body
            // over it is the caller's problem (413), not the service's, which would otherwise see a request cut short.
            var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            var body = await ReadUpToAsync(request.Body, limit, http.RequestAborted);
            if (body is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                    detail: $"The body is larger than this endpoint takes (at most {limit} bytes). Image bytes go to PUT /api/v1/images/{{id}}/file or the resumable upload, which take any size.");
            }

            message.Content = new ByteArrayContent(body);
        }

        if (message.Content is not null && request.ContentType is { } contentType)
        {
            message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        }
        catch (HttpRequestException exception) when (exception.InnerException is BadHttpRequestException refused)
        {
            // The caller's body broke off or outgrew the limit while it was being sent on: answered as the caller's fault.
            ExceptionDispatchInfo.Throw(refused);
            throw;
        }
        catch (HttpRequestException)
        {
            return Unreachable(serviceName);
        }

        // A balancer in front of the service answers with a page of its own while no replica passes its check: the
        // service said nothing, so the caller is told what it would be told if the service could not be reached.
        if ((int)response.StatusCode >= 500 && response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) != true)
        {
            response.Dispose();
            return Unreachable(serviceName);
        }

        http.Response.RegisterForDispose(response);
        http.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } responseType)
        {
            http.Response.ContentType = responseType.ToString();
        }

        if (response.Headers.Location is { } location)
        {
            http.Response.Headers.Location = location.ToString();
        }

        if (response.Headers.ETag is { } etag)
        {
            http.Response.Headers.ETag = etag.ToString();
        }

        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            await RelayEventStreamAsync(http, response);
            return Results.Empty;
        }

        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
        return Results.Empty;
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    static async Task<byte[]?> ReadUpToAsync(Stream body, long? limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    static IResult Unreachable(string serviceName) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
            detail: $"The {serviceName} service cannot be reached; try again shortly.");

    /// <summary>Each chunk of the stream goes out as soon as it arrives; the client leaving ends the relay (and the owner's stream with it).</summary>
    static async Task RelayEventStreamAsync(HttpContext http, HttpResponseMessage response)
    {
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await using var events = await response.Content.ReadAsStreamAsync(http.RequestAborted);
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await events.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            // The owner's stream broke (a replica went away): the stream ends, and the client resumes with Last-Event-ID.
        }
    }
}
