using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// The services behind the Api answer the Api only: every request but the health checks must carry the service token
/// (<c>Authorization: Bearer …</c>). Anyone else who reaches the port gets 401 and is logged (without what they sent).
/// </summary>
public sealed class ServiceTokenMiddleware(RequestDelegate next, IOptions<InternalAccessOptions> options, ILogger<ServiceTokenMiddleware> logger)
{
    readonly byte[][] _accepted = options.Value.AllAccepted.Select(token => SHA256.HashData(Encoding.UTF8.GetBytes(token))).ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || Presented(context.Request))
        {
            await next(context);
            return;
        }

        logger.LogWarning("Refused {Method} {Path} from {Address}: no valid service token", context.Request.Method, path, context.Connection.RemoteIpAddress);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await Results.Problem(
            title: "Service token required",
            detail: "This service answers the Image Manager Api only; call the Api (/api/v1) with your credentials instead.",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
    }

    bool Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashes of equal length, compared in constant time: the comparison says nothing about how much matched.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        var matched = false;
        foreach (var accepted in _accepted)
        {
            matched |= CryptographicOperations.FixedTimeEquals(presented, accepted);
        }

        return matched;
    }
}
