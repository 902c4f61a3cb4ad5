using System.Text.RegularExpressions;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>What a tenant's name may be, wherever one is given: an API key's tenant, an image's <c>sharedWith</c>.</summary>
public static partial class TenantNames
{
    public const string Rule = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
