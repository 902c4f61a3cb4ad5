namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// The roles a caller can hold. Each includes those below it: <c>admin</c> ⊃ <c>operator</c> ⊃ <c>onboarder</c> and
/// <c>distributor</c> ⊃ <c>viewer</c>, so a key or token names one role and gets what that role needs.
/// </summary>
public static class CallerRoles
{
    /// <summary>Reads the catalogue, the VIM registry and distribution status.</summary>
    public const string Viewer = "viewer";

    /// <summary>SDC: creates, uploads, imports and onboards images, and changes its own.</summary>
    public const string Onboarder = "onboarder";

    /// <summary>SO / VF-C: distributes, cancels and retries.</summary>
    public const string Distributor = "distributor";

    /// <summary>Everything on images, VIMs and distributions of every tenant, deletes included.</summary>
    public const string Operator = "operator";

    /// <summary>Also keys, the trust store (signing certificates) and the audit trail.</summary>
    public const string Admin = "admin";

    public static readonly string[] All = [Viewer, Onboarder, Distributor, Operator, Admin];

    /// <summary>The named roles with every role they include; names that are no role are dropped.</summary>
    public static IReadOnlySet<string> Expand(IEnumerable<string> roles)
    {
        var expanded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            switch (role)
            {
                case Admin:
                    expanded.UnionWith([Admin, Operator, Onboarder, Distributor, Viewer]);
                    break;
                case Operator:
                    expanded.UnionWith([Operator, Onboarder, Distributor, Viewer]);
                    break;
                case Onboarder or Distributor:
                    expanded.UnionWith([role, Viewer]);
                    break;
                case Viewer:
                    expanded.Add(Viewer);
                    break;
            }
        }

        return expanded;
    }
}
