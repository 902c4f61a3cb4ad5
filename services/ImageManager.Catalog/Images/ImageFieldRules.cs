using System.Text.RegularExpressions;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.Sanitising;

namespace ImageManager.Catalog.Images;

/// <summary>
/// The checks of an image's descriptive fields, shared by <c>POST /images</c> and <c>PATCH /images/{id}</c>: each
/// problem goes to the <c>fail</c> callback under the field's name, in words a person understands.
/// </summary>
public static partial class ImageFieldRules
{
    public const int MaxSharedWith = 100;

    /// <summary>Tenant names, as API keys and tokens carry them.</summary>
    public static void CheckSharedWith(IReadOnlyCollection<string?>? tenants, Action<string, string> fail)
    {
        if (tenants is null)
        {
            return;
        }

        if (tenants.Count > MaxSharedWith || !tenants.All(TenantNames.IsValid))
        {
            fail("sharedWith", $"sharedWith is a list of up to {MaxSharedWith} tenant names: {TenantNames.Rule}.");
        }
    }

    public static void CheckText(string field, string? value, int maxLength, bool required, Action<string, string> fail)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                fail(field, $"{field} is required.");
            }
        }
        else if (value.Length > maxLength)
        {
            fail(field, $"{field} is longer than {maxLength} characters.");
        }
        else if (RequestText.ProblemWithName(field, value) is { } problem)
        {
            fail(field, problem);
        }
    }

    /// <summary>Free text: line breaks and tabs may stay, no other control character.</summary>
    public static void CheckDescription(string? description, Action<string, string> fail)
    {
        if (description is { Length: > 4096 })
        {
            fail("description", "description is longer than 4096 characters.");
        }
        else if (RequestText.ProblemWith("description", description, lineBreaksAllowed: true) is { } problem)
        {
            fail("description", problem);
        }
    }

    public static void CheckVisibility(string? visibility, Action<string, string> fail)
    {
        if (visibility is not null && !ImageVisibilities.All.Contains(visibility))
        {
            fail("visibility", $"visibility is one of {string.Join(", ", ImageVisibilities.All)}; got '{visibility}'.");
        }
    }

    public static void CheckTags(IReadOnlyCollection<string?>? tags, Action<string, string> fail)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > ImageLimits.MaxTags)
        {
            fail("tags", $"an image has at most {ImageLimits.MaxTags} tags; got {tags.Count}.");
            return;
        }

        foreach (var tag in tags)
        {
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > ImageLimits.TagLength)
            {
                fail("tags", $"each tag is 1 to {ImageLimits.TagLength} characters; got '{Printable(tag)}'.");
                return;
            }

            if (RequestText.ProblemWithName("tags", tag) is { } problem)
            {
                fail("tags", problem);
                return;
            }
        }
    }

    public static void CheckProperties(IReadOnlyDictionary<string, string?>? properties, Action<string, string> fail)
    {
        if (properties is null)
        {
            return;
        }

        if (properties.Count > ImageLimits.MaxProperties)
        {
            fail("properties", $"an image has at most {ImageLimits.MaxProperties} properties; got {properties.Count}.");
            return;
        }

        foreach (var (key, value) in properties)
        {
            if (!PropertyKey().IsMatch(key))
            {
                fail($"properties.{Printable(key)}", $"a property key is 1 to {ImageLimits.PropertyKeyLength} letters, digits, '.', '_', ':' or '-'; got '{Printable(key)}'.");
                return;
            }

            if (value is null || value.Length > ImageLimits.PropertyValueLength || value.Any(char.IsControl))
            {
                fail($"properties.{key}", $"property '{key}' needs a value of at most {ImageLimits.PropertyValueLength} characters without control characters.");
                return;
            }
        }
    }

    public static void CheckNotNegative(string field, int? value, Action<string, string> fail)
    {
        if (value is < 0)
        {
            fail(field, $"{field} cannot be negative.");
        }
    }

    /// <summary>A value quoted back to the caller, cut short and without control characters.</summary>
    static string Printable(string? value) =>
        value is null ? "" : new string(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex PropertyKey();
}
