using System.Globalization;
using System.Threading.RateLimiting;
using ImageManager.Api.Access;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace ImageManager.Api.Protection;

public static class RequestProtectionExtensions
{
    public static IHostApplicationBuilder AddRequestProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestProtectionOptions>()
            .Bind(builder.Configuration.GetSection(RequestProtectionOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Burst >= o.PermitsPerSecond, "Protection:Burst must be at least Protection:PermitsPerSecond.")
            .ValidateOnStart();

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestProtectionOptions>>((kestrel, protection) =>
        {
            var limits = protection.Value;
            kestrel.Limits.MaxRequestBodySize = limits.JsonBodyLimitBytes; // the upload endpoints lift it for themselves
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.SlowBodyGracePeriod);
        });

        builder.Services.AddCors();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
                {
                    return RateLimitPartition.GetNoLimiter("health");
                }

                var limits = context.RequestServices.GetRequiredService<IOptions<RequestProtectionOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var limits = http.RequestServices.GetRequiredService<IOptions<RequestProtectionOptions>>().Value;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    title: "Too many requests",
                    detail: $"This caller sent more than {limits.Burst} requests at once or more than {limits.PermitsPerSecond} a second for too long; try again after the Retry-After seconds.",
                    statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
            };
        });
        return builder;
    }

    /// <summary>
    /// Security headers, CORS (closed unless origins are configured), body size answers, who calls (authentication),
    /// how often (the rate limit, per caller), and what they may do (authorization).
    /// </summary>
    public static WebApplication UseRequestProtection(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<RequestProtectionOptions>>().Value;
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseCors(cors =>
        {
            if (limits.AllowedOrigins.Length > 0)
            {
                cors.WithOrigins(limits.AllowedOrigins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Location", "ETag", "Retry-After");
            }
        });
        app.Use(RefuseOversizedBodies);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// A body announced larger than the endpoint takes is refused before it is read, with a reason. (One that comes
    /// without a length is cut off by the server at the limit.)
    /// </summary>
    static async Task RefuseOversizedBodies(HttpContext context, RequestDelegate next)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } endpointLimit
            ? endpointLimit.MaxRequestBodySize
            : context.RequestServices.GetRequiredService<IOptions<RequestProtectionOptions>>().Value.JsonBodyLimitBytes;
        if (limit is { } most && context.Request.ContentLength > most)
        {
            await Results.Problem(
                title: "Request body too large",
                detail: $"The body is {context.Request.ContentLength} bytes; this endpoint takes at most {most}. Image bytes go to PUT /api/v1/images/{{id}}/file or the resumable upload, which take any size.",
                statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>Who a request counts against: the authenticated caller, or the client's address when there is none.</summary>
    static string CallerOf(HttpContext context) =>
        CallerPrincipal.IdOf(context.User) is { } caller ? $"caller:{caller}" : $"address:{context.Connection.RemoteIpAddress}";
}
