namespace ImageManager.Api.Downstream;

/// <summary>
/// Relays a request to the service that owns the data and its answer back unchanged: status, problem details,
/// <c>Location</c>, <c>ETag</c>; <c>If-Match</c> goes along with the request. The public routes and the owners' routes are
/// the same, so nothing is rewritten.
/// </summary>
public static class DownstreamForwarder
{
    public static async Task<IResult> ForwardAsync(HttpContext http, HttpClient client, string serviceName)
    {
        var request = http.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        if (request.Headers.IfMatch.Count > 0)
        {
            message.Headers.TryAddWithoutValidation("If-Match", (IEnumerable<string>)request.Headers.IfMatch!);
        }
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            message.Content = new StreamContent(request.Body);
            if (request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        }
        catch (HttpRequestException)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable",
                detail: $"The {serviceName} service cannot be reached; try again shortly.");
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

        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
        return Results.Empty;
    }
}
