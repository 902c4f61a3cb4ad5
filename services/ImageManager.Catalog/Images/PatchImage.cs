using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.Catalog.Outbox;
using ImageManager.Catalog.Persistence;
using ImageManager.Contracts.Images;
using Microsoft.EntityFrameworkCore;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.Binding;

namespace ImageManager.Catalog.Images;

/// <summary>
/// <c>PATCH /images/{id}</c> with a JSON merge patch (RFC 7396): only the mutable fields may change, a field that
/// cannot is refused by name. <c>If-Match</c> with the image's ETag makes the edit conditional (412 when someone
/// else changed the image since); the revision is also the update's concurrency token, so two edits racing past
/// the check still cannot both win.
/// </summary>
public static class PatchImage
{
    /// <summary>The members of <see cref="ImagePatch"/>, the body the API documents, as JSON names.</summary>
    public static readonly string[] MutableFields = typeof(ImagePatch).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();

    static readonly string[] ImmutableFields =
    [
        "id", "kind", "name", "version", "vendor", "diskFormat", "containerFormat", "status", "owner", "uploadedBy", "osDistro", "osVersion",
        "architecture", "minRamMb", "minDiskGb", "sizeBytes", "virtualSizeBytes", "sha256", "sha512", "declaredSha256", "declaredSha512",
        "declaredMd5", "detectedType", "validatedAt", "rejectionReason", "importError", "signature", "packageId", "pathInPackage", "locations",
        "createdAt", "updatedAt", "malwareScan", "signedBy", "trust", "trustWithdrawnReason", "trustWithdrawnAt",
    ];

    public static async Task<IResult> HandleAsync(
        Guid id, HttpContext http, CatalogDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (http.Request.ContentType?.Split(';')[0].Trim() is not ("application/merge-patch+json" or "application/json"))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "A PATCH body is a JSON merge patch: Content-Type application/merge-patch+json.");
        }

        JsonObject? patch;
        try
        {
            patch = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (JsonException exception)
        {
            var (field, reason) = JsonBodyProblem.Describe(exception);
            return Invalid(field, reason);
        }

        if (patch is null)
        {
            return Invalid("body", "A merge patch is a JSON object whose members are the fields to change.");
        }

        var image = await db.Images.Include(i => i.Tags).Include(i => i.Properties).Include(i => i.Shares).AsSplitQuery()
            .FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        var caller = ForwardedCaller.From(http.Request);
        if (image is null || !TenantAccess.MaySee(image, caller))
        {
            return ImageEndpoints.NotFound(id);
        }

        if (!TenantAccess.MayChange(image, caller))
        {
            return TenantAccess.NotOwner(image, caller!);
        }

        if (http.Request.Headers.IfMatch is { Count: > 0 } ifMatch && !ifMatch.Contains(ImageRecords.ETag(image)) && !ifMatch.Contains("*"))
        {
            return Stale(id);
        }

        var errors = new Dictionary<string, string[]>();
        var changed = new List<string>();
        foreach (var (field, value) in patch)
        {
            if (ImmutableFields.Contains(field, StringComparer.Ordinal))
            {
                errors[field] = [$"{field} cannot be changed; the fields a PATCH may change are {string.Join(", ", MutableFields)}."];
            }
            else if (!MutableFields.Contains(field, StringComparer.Ordinal))
            {
                errors[field] = [$"{field} is not a field of an image; the fields a PATCH may change are {string.Join(", ", MutableFields)}."];
            }
            else if (Apply(image, field, value, (f, m) => errors[f] = [m]))
            {
                changed.Add(field);
            }
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, detail: string.Join(" ", errors.Values.SelectMany(v => v)));
        }

        if (changed.Contains("visibility") && image.Visibility == ImageVisibilities.Public
            && await ImageNames.ClashAsync(db, image.Kind, image.Name, image.Version, image.Owner, image.Visibility, image.Id, cancellationToken) is { } clash)
        {
            return ImageEndpoints.Conflict(clash);
        }

        if (changed.Count > 0)
        {
            var now = clock.GetUtcNow();
            image.Revision++;
            image.UpdatedAt = now;
            var updated = new ImageUpdated
            {
                ImageId = image.Id,
                Kind = image.Kind,
                Name = image.Name,
                Version = image.Version,
                ChangedFields = changed,
                Revision = image.Revision,
                UpdatedAt = now,
                Owner = image.Owner,
            };
            db.QueueEvent(updated, now);
            if (changed.Contains("endOfLife"))
            {
                ImageEndOfLife.AnnounceIfReached(db, image, now, dateChanged: true);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception)
            {
                var publicClash = exception is not DbUpdateConcurrencyException && image.Visibility == ImageVisibilities.Public
                    ? await ImageNames.ClashAsync(db, image.Kind, image.Name, image.Version, image.Owner, image.Visibility, image.Id, CancellationToken.None)
                    : null;
                if (publicClash is not null)
                {
                    return ImageEndpoints.Conflict(publicClash); // another image went public under this name at the same moment
                }

                var raced = await RacedWrite.AnswerAsync(db, id, "patched");
                // Made conditional by the caller (If-Match), a change that lost to another is a precondition that no longer holds.
                return exception is DbUpdateConcurrencyException && http.Request.Headers.IfMatch.Count > 0 && raced is IStatusCodeHttpResult { StatusCode: 409 }
                    ? Stale(id)
                    : raced;
            }

            outbox.Notify();
        }

        http.Response.Headers.ETag = ImageRecords.ETag(image);
        return Results.Ok(ImageResource.From(image));
    }

    /// <summary>Applies one field of the patch; returns whether the image changed. Problems go to <paramref name="fail"/>.</summary>
    static bool Apply(CatalogImage image, string field, JsonNode? value, Action<string, string> fail)
    {
        switch (field)
        {
            case "description":
                var description = Text(field, value, fail, out var ok);
                ImageFieldRules.CheckDescription(description, fail);
                return ok && Set(image.Description, description, v => image.Description = v);
            case "visibility":
                var visibility = Text(field, value, fail, out ok) ?? ImageVisibilities.Private;
                ImageFieldRules.CheckVisibility(visibility, fail);
                return ok && ImageVisibilities.All.Contains(visibility) && Set(image.Visibility, visibility, v => image.Visibility = v);
            case "protected":
            case "excludeFromLatest":
                if (value is not JsonValue flag || flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    fail(field, $"{field} is true or false.");
                    return false;
                }

                var on = flag.GetValue<bool>();
                return field == "protected"
                    ? Set(image.Protected, on, v => image.Protected = v)
                    : Set(image.ExcludeFromLatest, on, v => image.ExcludeFromLatest = v);
            case "endOfLife":
                var text = Text(field, value, fail, out ok);
                DateOnly? endOfLife = null;
                if (text is not null)
                {
                    if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date))
                    {
                        fail(field, $"endOfLife is a date, e.g. 2027-12-31; got '{text}'.");
                        return false;
                    }

                    endOfLife = date;
                }

                return ok && Set(image.EndOfLife, endOfLife, v => image.EndOfLife = v);
            case "tags":
                return ApplyTags(image, value, fail);
            case "sharedWith":
                return ApplySharedWith(image, value, fail);
            default:
                return ApplyProperties(image, value, fail);
        }
    }

    static bool ApplyTags(CatalogImage image, JsonNode? value, Action<string, string> fail)
    {
        if (value is not null and not JsonArray)
        {
            fail("tags", "tags is an array of strings (it replaces the tags), or null to remove them all.");
            return false;
        }

        var tags = value is JsonArray array
            ? array.Select(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).ToList()
            : [];
        ImageFieldRules.CheckTags(tags, fail);
        if (tags.Any(t => t is null) || tags.Count > ImageLimits.MaxTags)
        {
            return false;
        }

        var wanted = tags.Select(t => t!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (wanted.SequenceEqual(image.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal)))
        {
            return false;
        }

        image.Tags.RemoveAll(t => !wanted.Contains(t.Tag));
        image.Tags.AddRange(wanted.Where(t => image.Tags.All(existing => existing.Tag != t)).Select(t => new ImageTag { ImageId = image.Id, Tag = t }));
        return true;
    }

    static bool ApplySharedWith(CatalogImage image, JsonNode? value, Action<string, string> fail)
    {
        if (value is not null and not JsonArray)
        {
            fail("sharedWith", "sharedWith is an array of tenant names (it replaces the list), or null to share with none.");
            return false;
        }

        var tenants = value is JsonArray array
            ? array.Select(t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null).ToList()
            : [];
        var valid = true;
        ImageFieldRules.CheckSharedWith(tenants, (field, message) =>
        {
            fail(field, message);
            valid = false;
        });
        var wanted = tenants.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (!valid || wanted.SequenceEqual(image.Shares.Select(s => s.Tenant).Order(StringComparer.Ordinal)))
        {
            return false;
        }

        image.Shares.RemoveAll(s => !wanted.Contains(s.Tenant));
        image.Shares.AddRange(wanted.Where(t => image.Shares.All(existing => existing.Tenant != t)).Select(t => new ImageShare { ImageId = image.Id, Tenant = t }));
        return true;
    }

    /// <summary>Merge-patch semantics inside <c>properties</c> too: a key with null is removed, others are set, unnamed keys stay.</summary>
    static bool ApplyProperties(CatalogImage image, JsonNode? value, Action<string, string> fail)
    {
        if (value is not JsonObject members)
        {
            fail("properties", "properties is an object of key/value strings; a key set to null is removed.");
            return false;
        }

        var changes = new Dictionary<string, string?>();
        foreach (var (key, member) in members)
        {
            if (member is not null && (member is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
            {
                fail($"properties.{key}", $"property '{key}' is a string, or null to remove it.");
                return false;
            }

            changes[key] = member?.GetValue<string>();
        }

        ImageFieldRules.CheckProperties(changes.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value), fail);
        var changed = false;
        foreach (var (key, newValue) in changes)
        {
            var existing = image.Properties.FirstOrDefault(p => p.Key == key);
            if (newValue is null && existing is not null)
            {
                image.Properties.Remove(existing);
                changed = true;
            }
            else if (newValue is not null && existing is null)
            {
                image.Properties.Add(new ImageProperty { ImageId = image.Id, Key = key, Value = newValue });
                changed = true;
            }
            else if (newValue is not null && existing!.Value != newValue)
            {
                existing.Value = newValue;
                changed = true;
            }
        }

        if (image.Properties.Count > ImageLimits.MaxProperties)
        {
            fail("properties", $"an image has at most {ImageLimits.MaxProperties} properties; this patch would make {image.Properties.Count}.");
        }

        return changed;
    }

    static string? Text(string field, JsonNode? value, Action<string, string> fail, out bool ok)
    {
        ok = value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String);
        if (!ok)
        {
            fail(field, $"{field} is a string, or null.");
            return null;
        }

        return value?.GetValue<string>();
    }

    static bool Set<T>(T current, T wanted, Action<T> set)
    {
        if (EqualityComparer<T>.Default.Equals(current, wanted))
        {
            return false;
        }

        set(wanted);
        return true;
    }

    static IResult Stale(Guid id) => Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Image changed",
        detail: $"Image {id} changed since the ETag you sent (If-Match); read it again and apply your change to the current version.");

    static IResult Invalid(string field, string detail) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [detail] }, detail: detail);
}
