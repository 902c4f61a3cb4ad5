using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;

namespace ImageManager.ServiceDefaults.Binding;

/// <summary>
/// Says why routing found nothing to run, where the reason is the caller's: a route value that breaks its route's
/// constraint (<c>/images/abc</c> where the id is a UUID) is a 400 naming the value and what it takes, not a bare 404; a
/// body type no endpoint of the path takes is a 415 naming those it takes; a method the path does not take is a 405
/// naming those it does. The answer runs as the endpoint the request was meant for (its metadata: access rules apply as
/// they would have), so a caller without credentials is still asked for them first. Placed after routing, before access control.
/// </summary>
public sealed class RouteMismatchCheck(RequestDelegate next, EndpointDataSource endpoints, IInlineConstraintResolver constraints)
{
    // Routing's own endpoints for a path that matched but not for this method or body type (Microsoft.AspNetCore.Routing).
    const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";
    const string UnsupportedMediaTypeEndpoint = "415 HTTP Unsupported Media Type";

    IReadOnlyList<(RouteEndpoint Endpoint, TemplateMatcher Matcher)>? _routes;

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var replacement = endpoint is null ? BrokenConstraint(context)
            : endpoint.DisplayName == UnsupportedMediaTypeEndpoint ? UnsupportedMediaType(context)
            : endpoint.DisplayName == MethodNotAllowedEndpoint ? MethodNotAllowed(context)
            : null;
        if (replacement is not null)
        {
            context.SetEndpoint(replacement);
        }

        return next(context);
    }

    /// <summary>The endpoint whose route matches the path but for a constraint, answering 400 as that endpoint.</summary>
    Endpoint? BrokenConstraint(HttpContext context)
    {
        foreach (var (route, values) in Matching(context, sameMethod: true))
        {
            foreach (var parameter in route.RoutePattern.Parameters)
            {
                foreach (var policy in parameter.ParameterPolicies)
                {
                    var constraint = policy.ParameterPolicy as IRouteConstraint ?? (policy.Content is { } content ? constraints.ResolveConstraint(content) : null);
                    if (constraint is null || constraint.Match(context, null, parameter.Name, values, RouteDirection.IncomingRequest))
                    {
                        continue;
                    }

                    var value = OutsideText.Sanitise(Convert.ToString(values[parameter.Name], System.Globalization.CultureInfo.InvariantCulture) ?? "", 80);
                    var reason = $"{parameter.Name} is {Expected(constraint, policy.Content)}; got '{value}'.";
                    return new Endpoint(
                        http => Results.ValidationProblem(new Dictionary<string, string[]> { [parameter.Name] = [reason] }, detail: reason).ExecuteAsync(http),
                        route.Metadata,
                        $"{route.DisplayName} (route value refused)");
                }
            }
        }

        return null;
    }

    Endpoint? UnsupportedMediaType(HttpContext context)
    {
        var accepted = Matching(context, sameMethod: true)
            .SelectMany(m => m.Endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (accepted.Count == 0)
        {
            return null;
        }

        var got = context.Request.ContentType is { Length: > 0 } type ? $"'{OutsideText.Sanitise(type, 100)}'" : "no Content-Type";
        var reason = $"This endpoint takes a body of Content-Type {string.Join(" or ", accepted)}; got {got}.";
        return new Endpoint(
            http => Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: reason).ExecuteAsync(http),
            EndpointMetadataCollection.Empty,
            UnsupportedMediaTypeEndpoint);
    }

    Endpoint? MethodNotAllowed(HttpContext context)
    {
        var allowed = Matching(context, sameMethod: false)
            .SelectMany(m => m.Endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (allowed.Count == 0)
        {
            return null;
        }

        var reason = $"{context.Request.Path} takes {string.Join(", ", allowed)}; not {context.Request.Method}.";
        return new Endpoint(
            http =>
            {
                http.Response.Headers.Allow = string.Join(", ", allowed);
                return Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed", detail: reason).ExecuteAsync(http);
            },
            EndpointMetadataCollection.Empty,
            MethodNotAllowedEndpoint);
    }

    /// <summary>Endpoints whose route template fits the path, constraints aside, with the values it takes from it.</summary>
    IEnumerable<(RouteEndpoint Endpoint, RouteValueDictionary Values)> Matching(HttpContext context, bool sameMethod)
    {
        _routes ??= endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => (e, new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary(e.RoutePattern.Defaults))))
            .ToList();
        foreach (var (endpoint, matcher) in _routes)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (sameMethod && methods is { Count: > 0 } && !methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var values = new RouteValueDictionary();
            if (matcher.TryMatch(context.Request.Path, values))
            {
                yield return (endpoint, values);
            }
        }
    }

    static string Expected(IRouteConstraint constraint, string? content) => constraint switch
    {
        GuidRouteConstraint => ExpectedValue.Of(typeof(Guid)),
        IntRouteConstraint => ExpectedValue.Of(typeof(int)),
        LongRouteConstraint => ExpectedValue.Of(typeof(long)),
        BoolRouteConstraint => ExpectedValue.Of(typeof(bool)),
        DateTimeRouteConstraint => ExpectedValue.Of(typeof(DateTime)),
        _ => $"a value that fits the route's '{content}'",
    };
}
