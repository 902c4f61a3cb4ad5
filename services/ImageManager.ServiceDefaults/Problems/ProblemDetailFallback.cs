using Microsoft.AspNetCore.Http;

namespace ImageManager.ServiceDefaults.Problems;

/// <summary>
/// A detail for the problems that come without one (a status set by the framework: a path nothing answers, a status
/// page): every error answer says something a person can act on.
/// </summary>
public static class ProblemDetailFallback
{
    public static void Fill(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var request = context.HttpContext.Request;
        problem.Detail = (problem.Status ?? context.HttpContext.Response.StatusCode) switch
        {
            StatusCodes.Status400BadRequest => "The request does not fit what this endpoint takes; see the API reference (/api/v1/openapi.json).",
            StatusCodes.Status404NotFound => $"Nothing answers {request.Method} {Shown(request.Path)}; see the API reference (/api/v1/openapi.json) for the paths there are.",
            StatusCodes.Status405MethodNotAllowed => $"{Shown(request.Path)} does not take {request.Method}.",
            StatusCodes.Status413PayloadTooLarge => "The body is larger than this endpoint takes.",
            StatusCodes.Status415UnsupportedMediaType => "This endpoint does not take a body of this Content-Type.",
            >= 500 => "Something went wrong on the server; it is logged. Try again, and tell the operators if it lasts.",
            _ => null,
        };
    }

    static string Shown(PathString path) => Sanitising.OutsideText.Sanitise(path.Value ?? "/", 200);
}
