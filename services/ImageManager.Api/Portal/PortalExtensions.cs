using ImageManager.Api.Protection;
using Microsoft.Extensions.FileProviders;

namespace ImageManager.Api.Portal;

/// <summary>
/// The operator portal: static pages, styles and ES modules under <c>/portal/</c>, served before access control (the
/// pages hold no data; every call they make to <c>/api/v1</c> carries the operator's credential and is checked there).
/// </summary>
public static class PortalExtensions
{
    /// <summary>
    /// The portal's own scripts, styles and calls only: no inline script or style, no other origin, never framed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

    public static WebApplication UsePortal(this WebApplication app)
    {
        // Copied next to the assembly at build time, so the portal is there however the Api is started.
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot", "portal");
        if (!Directory.Exists(root))
        {
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.Map("/portal", portal =>
        {
            portal.UseMiddleware<SecurityHeadersMiddleware>(ContentSecurityPolicy);
            portal.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            portal.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // Revalidated on every load: a new version of the Api brings its portal at once.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
        });
        return app;
    }
}
