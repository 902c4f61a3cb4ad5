using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImageManager.ServiceDefaults.Problems;

/// <summary>
/// The net under a service's own handling of an exception it knows is the caller's lot, not a fault (a write that lost a
/// race with another request: EF Core's concurrency exception): wherever an endpoint did not answer it, the caller gets
/// <c>status</c> with a reason rather than a 500. Registered by the service that knows the type (shared code never
/// references EF Core).
/// </summary>
public sealed class ExceptionProblemHandler<TException>(int status, string title, string detail, ILogger<ExceptionProblemHandler<TException>> logger) : IExceptionHandler
    where TException : Exception
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not TException)
        {
            return false;
        }

        logger.LogInformation("{Method} {Path} lost to another request ({Exception}); answered {Status}",
            httpContext.Request.Method, httpContext.Request.Path, typeof(TException).Name, status);
        httpContext.Response.StatusCode = status;
        await Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(httpContext);
        return true;
    }
}
