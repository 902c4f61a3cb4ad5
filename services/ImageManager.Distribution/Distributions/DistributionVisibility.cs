using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Distribution.Distributions;

/// <summary>Whose distributions a caller sees, cancels and retries: its tenant's; an operator every one.</summary>
public static class DistributionVisibility
{
    /// <summary>A request without a caller is Image Manager's own (the service token vouches for it): it sees every one.</summary>
    public static IQueryable<DistributionState> VisibleTo(this IQueryable<DistributionState> distributions, ForwardedCaller? caller) =>
        caller is null || caller.SeesEveryTenant ? distributions : distributions.Where(d => d.Tenant == caller.Tenant);
}
