using ImageManager.Contracts.Vims;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageManager.ServiceDefaults.Sanitising;

namespace ImageManager.Distribution.Vims.Aai;

/// <summary>
/// Which VIM registration an A&amp;AI cloud region makes, as ONAP's Multicloud reads the same records: VIM id
/// <c>{cloud-owner}_{cloud-region-id}</c>; the region's esr-system-info of system-type VIM (or its only one) gives
/// Keystone (<c>service-url</c>, v3), the user (<c>user-name</c>, <c>password</c>, domain <c>cloud-domain</c>), the
/// project (<c>default-tenant</c>), TLS (<c>ssl-cacert</c>, <c>ssl-insecure</c>) and the OpenStack region
/// (<c>openstack-region-id</c>, else the cloud-region-id) whose image endpoint Keystone's catalog names. A&amp;AI names no
/// Glance, so the VIM's endpoint (Glance when the catalog lists none) is set to Keystone's URL. What A&amp;AI does not hold
/// (upload mode, limits, other tags, tenant) stays as the VIM has it; the VIM is tagged <see cref="AaiImport.Tag"/>.
/// </summary>
public static class AaiRegionMapping
{
    /// <summary>esr-system-info types of OpenStack clouds (ONAP's names for OpenStack and its distributions), which the openstack driver speaks to.</summary>
    public static readonly string[] OpenStackTypes = ["openstack", "titanium_cloud", "starlingx", "windriver", "vio"];

    /// <summary>The VIM id of a region; null when it lacks either key.</summary>
    public static string? VimIdOf(JsonObject region) =>
        Text(region, "cloud-owner") is { } owner && Text(region, "cloud-region-id") is { } id ? $"{owner}_{id}" : null;

    /// <summary>
    /// The registration the region makes over <paramref name="existing"/> (null when new), or why it makes none; its
    /// addresses are held to <paramref name="addresses"/> (the defaults when null), as a registration by hand is.
    /// </summary>
    public static (RegisterVimRequest? Registration, string? Skipped) Map(JsonObject region, Vim? existing, DistributionOptions? addresses = null)
    {
        var vimId = VimIdOf(region);
        if (vimId is null)
        {
            return (null, "the region has no cloud-owner or no cloud-region-id.");
        }

        var systems = (region["esr-system-info-list"]?["esr-system-info"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var esr = systems.FirstOrDefault(s => string.Equals(Text(s, "system-type"), "VIM", StringComparison.OrdinalIgnoreCase))
            ?? (systems.Count == 1 ? systems[0] : null);
        if (esr is null)
        {
            return (null, $"the region has no esr-system-info of system-type VIM ({systems.Count} esr-system-info in its esr-system-info-list): nothing says how to reach it.");
        }

        var type = Text(esr, "type") ?? Text(region, "cloud-type");
        if (type is null || !OpenStackTypes.Contains(type.ToLowerInvariant()))
        {
            return (null, $"its esr-system-info type is '{OutsideText.Sanitise(type, 64)}': only OpenStack clouds ({string.Join(", ", OpenStackTypes)}) are imported.");
        }

        var (identityUrl, urlProblem) = KeystoneV3(Text(esr, "service-url"));
        if (identityUrl is null)
        {
            return (null, urlProblem);
        }

        if (Text(esr, "user-name") is not { } user || Text(esr, "password") is not { } password)
        {
            return (null, "its esr-system-info has no user-name or no password for Keystone.");
        }

        if (Text(esr, "default-tenant") is not { } project)
        {
            return (null, "its esr-system-info has no default-tenant: the Keystone project that images are placed in.");
        }

        if (existing is not null && existing.Type != "openstack")
        {
            return (null, $"VIM '{vimId}' is registered as {existing.Type}; the region would make an openstack VIM.");
        }

        if (existing is not null && !existing.Tags.Contains(AaiImport.Tag))
        {
            return (null, $"VIM '{vimId}' was registered otherwise (it has no '{AaiImport.Tag}' tag) and is left as it is; tag it '{AaiImport.Tag}' to have A&AI keep it up to date.");
        }

        var domain = Text(esr, "cloud-domain") ?? "Default";
        var caCertificates = Text(esr, "ssl-cacert");
        var registration = new RegisterVimRequest
        {
            Id = vimId,
            Type = "openstack",
            Endpoint = identityUrl,
            IdentityUrl = identityUrl,
            Tenant = existing?.Tenant,
            Region = Text(esr, "openstack-region-id") ?? Text(region, "cloud-region-id"),
            Tags = [.. (existing?.Tags ?? []).Append(AaiImport.Tag).Distinct()],
            UploadMode = existing?.UploadMode,
            Credentials = new VimCredentials { Username = user, Password = password, UserDomain = domain, ProjectName = project, ProjectDomain = domain },
            Tls = new VimTlsSettings { CaCertificates = caCertificates, InsecureSkipVerify = caCertificates is null && IsTrue(esr["ssl-insecure"]) },
            Limits = existing is null ? null : new VimLimits { MaxConcurrentUploads = existing.MaxConcurrentUploads, BandwidthBytesPerSecond = existing.BandwidthLimitBytesPerSecond },
        };
        addresses ??= new DistributionOptions();
        var errors = VimRequestValidator.Validate(registration, addresses.AllowPrivateVimAddresses, addresses.PrivateVimNetworks);
        return errors.Count == 0
            ? (registration, null)
            : (null, $"the VIM it makes breaks the registration rules: {string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
    }

    /// <summary>Keystone's v3 URL from an esr <c>service-url</c>: as it is when it ends in /v3, with /v3 added when it names no version.</summary>
    static (string? Url, string? Problem) KeystoneV3(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, "its esr-system-info service-url (Keystone's URL) is missing or not an absolute http or https URL.");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v2.0", StringComparison.Ordinal))
        {
            return (null, "its esr-system-info service-url is Keystone v2.0; Image Manager speaks Keystone v3 (a service-url ending in /v3).");
        }

        var root = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return (path.EndsWith("/v3", StringComparison.Ordinal) ? root : root + "/v3", null);
    }

    static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;

    /// <summary>xs:boolean in A&amp;AI's JSON: true, or the string "true" where a client wrote it so.</summary>
    static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => string.Equals(value.GetValue<string>(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
