namespace ImageManager.Distribution.Drivers.Keystone;

/// <summary>
/// A Keystone v3 token: its value (Keystone's <c>X-Subject-Token</c>), when it was issued and expires, and the service
/// catalog it came with. The value is a secret: <see cref="ToString"/> leaves it out.
/// </summary>
public sealed record KeystoneToken(string Value, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, IReadOnlyList<KeystoneEndpoint> Catalog)
{
    static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When a new token is taken instead: five minutes before expiry, so a request never sets out with a token about to
    /// lapse; half way through the life of a token shorter than ten minutes.
    /// </summary>
    public DateTimeOffset RenewAt => ExpiresAt - TimeSpan.FromTicks(Math.Min(RenewalMargin.Ticks, (ExpiresAt - IssuedAt).Ticks / 2));

    /// <summary>The URL of a service in the catalog, by type and interface, in <paramref name="region"/> when one is given; null when none is listed.</summary>
    public Uri? EndpointOf(string serviceType, string @interface, string? region) =>
        Catalog.FirstOrDefault(e => e.ServiceType == serviceType && e.Interface == @interface && (region is null || e.Region == region))?.Url;

    public override string ToString() => $"KeystoneToken {{ IssuedAt = {IssuedAt:O}, ExpiresAt = {ExpiresAt:O}, Catalog = {Catalog.Count} endpoints }}";
}
