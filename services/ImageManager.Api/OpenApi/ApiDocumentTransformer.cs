using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// What the document says about itself: its title, version and purpose, the license, each tag's description, and the
/// server it was read from, without a trailing slash (the paths start with one). And one rule over every schema: a
/// member that may be null is not required, since the Catalog leaves null members out of its answers where the other
/// services write them as null; a client must take both.
/// </summary>
public sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    /// <summary>One line per tag the endpoints use; a tag missing here fails the OpenAPI lint (tag-description).</summary>
    static readonly IReadOnlyDictionary<string, string> TagDescriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Images"] = "The catalogue: image records, their bytes (streamed, resumable or imported from a URL), validation, and where each image is.",
        ["Certificates"] = "Signing certificates that image signatures are checked against.",
        ["VIMs"] = "The clouds images are distributed to: registration, health, and what Image Manager keeps on each.",
        ["Hubs"] = "Regional hubs: caches of the image downloads that the pulling VIMs of their regions fetch from, so an image crosses the central uplink once per hub.",
        ["Distributions"] = "Putting an image on VIMs, or taking it off (removals): requests, progress, per-target state, cancel and retry.",
        ["Recalls"] = "Taking an image off, replacing it with a successor on, or deactivating it on, every VIM that holds it (operators): dry run, progress, per-target state, retry.",
        ["Fleet"] = "The fleet at a glance, counted on the server: VIMs by health and region, distributions by state, one image per region and its sites.",
        ["Receipts"] = "Signed receipts of what was on which VIM when (compact JWS, ES256), and the published keys that verify them offline.",
        ["API keys"] = "Keys for machines and people, each for a tenant with roles; the secret is shown once.",
        ["Audit"] = "Who changed what, when, from where, and with what outcome.",
        ["Notifications"] = "DMaaP-style polling of lifecycle and distribution events (CloudEvents).",
        ["Subscriptions"] = "Webhooks: CloudEvents pushed to a URL, signed with a secret, retried until delivered.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Image Manager API",
            Version = "v1",
            Description = "Upload once, validate, catalogue, and distribute VM images, container images and software packages to many VIMs. " +
                          "Errors are application/problem+json with a detail a person can read. Authenticate with an API key or a JWT as a bearer " +
                          "(or an API key in X-Api-Key); each operation names the least role it needs.",
            // The repository names no license of its own: an SPDX reference to a license that is not a listed one.
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
        };

        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            if (schema is OpenApiSchema { Required: { Count: > 0 } required, Properties: { } properties })
            {
                foreach (var name in required.Where(name => properties.TryGetValue(name, out var property) && MayBeNull(property)).ToList())
                {
                    required.Remove(name);
                }
            }
        }

        return Task.CompletedTask;
    }

    static bool MayBeNull(IOpenApiSchema schema) =>
        schema.Type?.HasFlag(JsonSchemaType.Null) == true
        || schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true
        || schema.AnyOf?.Any(s => s.Type == JsonSchemaType.Null) == true;
}
