using Microsoft.OpenApi;

namespace ImageManager.Api.OpenApi;

/// <summary>
/// The query (and header) parameters of the operations the Api forwards, keyed by method and route as in the document:
/// the services that own the data bind them, the Api passes them on as they are, so they are declared here.
/// </summary>
public static class ApiQueryParameters
{
    static readonly QueryParameter Limit = new("limit", "Page size, 1 to 1000.", JsonSchemaType.Integer, "int32");
    static readonly QueryParameter Marker = new("marker", "The 'next' value of the previous page, as it is.");

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<QueryParameter>> ByOperation = new Dictionary<string, IReadOnlyList<QueryParameter>>(StringComparer.Ordinal)
    {
        ["GET /api/v1/images"] =
        [
            new("kind", "vm-image, container-image or software-package."),
            new("name", "Exact name."),
            new("namePrefix", "Names starting with this."),
            new("version", "Exact version, or 'latest' (with name): the newest active version not excluded from latest; semantic-version order when every version parses, upload order otherwise."),
            new("vendor", "Exact vendor."),
            new("status", "queued, validating, active, rejected, deactivated or deleting."),
            new("visibility", "private, shared or public."),
            new("owner", "Exact owner."),
            new("tag", "Has this tag; repeat for several (all must match)."),
            new("property", "key=value; repeat for several (all must match)."),
            new("onVim", "Present on this VIM (its id): uploaded there (active) or found there already (skipped, ensure-present); the images GET /vims/{id}/images lists in those states."),
            new("packageId", "Taken out of this package (a CSAR's id).", Format: "uuid"),
            new("createdAfter", "ISO 8601; inclusive.", Format: "date-time"),
            new("createdBefore", "ISO 8601; exclusive.", Format: "date-time"),
            new("updatedAfter", "ISO 8601; inclusive.", Format: "date-time"),
            new("updatedBefore", "ISO 8601; exclusive.", Format: "date-time"),
            new("sort", "Up to three keys of createdAt, updatedAt, name, version, kind, status, vendor, sizeBytes, each :asc or :desc; default createdAt:asc. The id breaks ties."),
            Limit with { Description = "Page size, 1 to 1000; default 25." },
            Marker with { Description = "The 'next' value of the previous page, as it is; only valid with the same sort." },
        ],
        ["PATCH /api/v1/images/{id}"] = [new("If-Match", "The image's ETag: the change is made only if nobody changed the image since (else 412).", In: ParameterLocation.Header)],
        ["PATCH /api/v1/images/{id}/file"] =
        [
            new("Upload-Offset", "The bytes already received (0 to start; HEAD tells).", JsonSchemaType.Integer, "int64", ParameterLocation.Header, Required: true),
            new("Upload-Length", "The file's total size in bytes; announced once.", JsonSchemaType.Integer, "int64", ParameterLocation.Header),
        ],
        ["GET /api/v1/vims"] = [new("region", "VIMs in this region."), new("tag", "VIMs with this tag."), new("health", "VIMs in this health state: healthy, unhealthy or unknown (not answered yet)."), Limit with { Description = "Page size, 1 to 1000; default 1000." }, Marker],
        ["GET /api/v1/vims/{id}/copies"] = [Limit with { Description = "Page size, 1 to 1000; default 100." }, Marker with { Description = "The 'next' value of the previous page (a VIM's image id)." }],
        ["GET /api/v1/vims/{id}/images"] =
        [
            new("state", "Only images in this image-VIM state (e.g. active, skipped, failed)."),
            Limit with { Description = "Page size, 1 to 1000; default 25." },
            Marker with { Format = "uuid" },
        ],
        ["GET /api/v1/distributions"] =
        [
            new("imageId", "Distributions of this image.", Format: "uuid"),
            new("state", "distributing or completed."),
            Limit with { Description = "Page size, 1 to 1000; default 25." },
            Marker with { Format = "uuid" },
        ],
        ["GET /api/v1/distributions/{id}/targets"] =
        [
            new("state", "Targets in this state: pending, uploading, verifying, active, failed, skipped, cancelled, removing, removed, released or drifted."),
            Limit with { Description = "Page size, 1 to 1000; default 100." },
            Marker with { Description = "The 'next' value of the previous page (the last VIM id)." },
        ],
        ["GET /api/v1/distributions/{id}/events"] = [new("Last-Event-ID", "Resume after this event: the id of the last event received (a number, or 'completed').", In: ParameterLocation.Header)],
        ["GET /api/v1/api-keys"] = [new("includeRevoked", "true lists revoked keys too.", JsonSchemaType.Boolean)],
        ["GET /api/v1/audit"] =
        [
            new("caller", "Changes by this caller (key:<id>, or a token's subject)."),
            new("tenant", "Changes by callers of this tenant."),
            new("action", "This action, e.g. image.delete."),
            new("resourceId", "Changes to this resource."),
            new("outcome", "succeeded, refused or failed."),
            new("since", "ISO 8601; inclusive.", Format: "date-time"),
            new("until", "ISO 8601; exclusive.", Format: "date-time"),
            Limit with { Description = "Page size, 1 to 1000; default 100." },
            Marker,
        ],
        ["GET /api/v1/subscriptions"] = [Limit with { Description = "Page size, 1 to 1000; default 100." }, Marker],
        ["GET /api/v1/subscriptions/{id}/deliveries"] =
        [
            new("state", "pending, delivered or failed."),
            Limit with { Description = "Page size, 1 to 1000; default 100." },
            Marker,
        ],
    };
}
