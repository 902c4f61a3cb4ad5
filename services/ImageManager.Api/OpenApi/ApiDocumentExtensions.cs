using System.Text.Json.Serialization;
using Scalar.AspNetCore;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/api/v1/openapi.json</c>) and its readable reference page (<c>/api/v1/reference</c>), both open
/// without credentials, like Glance's API reference: they describe the API, they hold no data.
/// </summary>
public static class ApiDocumentExtensions
{
    public const string DocumentPath = "/api/v1/openapi.json";
    public const string ReferencePath = "/api/v1/reference";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        // Numbers are numbers: the schemas (made from these options) then say "integer", not "integer or a string of
        // digits", which generated clients would have to carry as a union. The services write numbers as numbers.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        builder.Services.AddOpenApi("v1", options => options
            .AddDocumentTransformer<ApiDocumentTransformer>()
            .AddDocumentTransformer<OpenAnswerTransformer>()
            .AddSchemaTransformer<NullabilityTransformer>()
            .AddOperationTransformer<PathParameterTransformer>()
            .AddOperationTransformer<QueryParameterTransformer>()
            .AddOperationTransformer<ExampleTransformer>()
            .AddOperationTransformer<ProblemResponseTransformer>()
            .AddDocumentTransformer<SecurityTransformer>()
            .AddOperationTransformer<SecurityTransformer>());
        return builder;
    }

    /// <summary>Before the Api's own security headers: the reference page brings its policy (<see cref="ReferencePageMiddleware"/>).</summary>
    public static WebApplication UseApiReference(this WebApplication app)
    {
        // The page itself, not its scripts and icon (files, whose answers a policy does not govern).
        app.UseWhen(context => context.Request.Path.StartsWithSegments(ReferencePath) && !Path.HasExtension(context.Request.Path.Value),
            page => page.UseMiddleware<ReferencePageMiddleware>());
        return app;
    }

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Image Manager API")
                .WithOpenApiRoutePattern(DocumentPath)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideClientButton()
                // Its links to share, configure or deploy the document lead to the vendor's site: nothing leaves this page.
                .HideDeveloperTools()
                .WithOperationTitleSource(OperationTitleSource.Path))
            .AllowAnonymous();
        return app;
    }
}
