namespace ImageManager.Api.Protection;

/// <summary>
/// Headers that tell browsers to treat every answer as what it says it is and to show it nowhere else: the API serves
/// data, never pages to frame, scripts to run or types to guess. The portal's pages pass their own, still strict, policy;
/// a page made per request (the API reference) puts its own in the request's items under <see cref="PolicyItem"/>.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, string contentSecurityPolicy = SecurityHeadersMiddleware.ApiPolicy)
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string PolicyItem = "ContentSecurityPolicy";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = context.Items.TryGetValue(PolicyItem, out var own) && own is string policy ? policy : contentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
