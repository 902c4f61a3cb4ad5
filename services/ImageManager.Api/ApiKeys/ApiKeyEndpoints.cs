using ImageManager.Api.Access;
using ImageManager.Api.Downstream;
using ImageManager.ServiceDefaults.Access;
using ImageManager.Contracts.ApiKeys;

namespace ImageManager.Api.ApiKeys;

/// <summary>API keys, kept by the Catalog; admins only. A revocation through this replica takes effect at once.</summary>
public static class ApiKeyEndpoints
{
    public static WebApplication MapApiKeyEndpoints(this WebApplication app)
    {
        var keys = app.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireAuthorization(CallerRoles.Admin);
        keys.MapPost("/", Forward).WithName("createApiKey")
            .WithSummary("Create an API key for a tenant with roles and an expiry (default 90 days, at most 730). The key is in this answer only; Image Manager keeps its hash.")
            .Accepts<CreateApiKeyRequest>("application/json").Produces<CreatedApiKeyResource>(StatusCodes.Status201Created).ProducesValidationProblem();
        keys.MapGet("/", Forward).WithName("listApiKeys").WithSummary("List API keys (never their secrets); includeRevoked=true lists revoked ones too.")
            .Produces<ApiKeyListResource>();
        keys.MapGet("/{id}", Forward).WithName("getApiKey").WithSummary("Show one API key (never its secret).")
            .Produces<ApiKeyResource>().ProducesProblem(StatusCodes.Status404NotFound);
        keys.MapDelete("/{id}", Revoke).WithName("revokeApiKey").WithSummary("Revoke an API key, for good; repeating it answers the same.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static Task<IResult> Forward(HttpContext http, CatalogClient catalog) => DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue");

    static async Task<IResult> Revoke(string id, HttpContext http, CatalogClient catalog, ApiKeyDirectory directory)
    {
        var result = await DownstreamForwarder.ForwardAsync(http, catalog.Http, "catalogue");
        directory.Forget(id);
        return result;
    }
}
