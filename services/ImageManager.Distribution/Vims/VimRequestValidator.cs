using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using ImageManager.Distribution.Drivers.Oci;
using ImageManager.ServiceDefaults.Outbound;
using ImageManager.ServiceDefaults.Sanitising;
using ImageManager.Contracts.Vims;

namespace ImageManager.Distribution.Vims;

/// <summary>The rules a VIM registration (or a registration after a patch) must follow, each broken one named by its field.</summary>
public static partial class VimRequestValidator
{
    /// <summary>VIM types that have a driver in this version.</summary>
    public static readonly string[] SupportedTypes = ["openstack", "oci-registry", "onap-multicloud"];

    /// <summary>
    /// The rules broken, by field. Unless <paramref name="allowPrivateAddresses"/> (<c>Distribution:AllowPrivateVimAddresses</c>)
    /// or the address is in <paramref name="allowedPrivateNetworks"/> (<c>Distribution:AllowedPrivateVimNetworks</c>),
    /// a URL that names a loopback, private or metadata address outright, in any form (<c>http://2130706433/</c>), is
    /// refused here already; names are checked where the connection is made.
    /// </summary>
    public static Dictionary<string, string[]> Validate(
        RegisterVimRequest request, bool allowPrivateAddresses = false, IReadOnlyCollection<System.Net.IPNetwork>? allowedPrivateNetworks = null)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string reason) => errors[field] = [reason];

        if (request.Id is null || !VimId().IsMatch(request.Id))
        {
            Fail("id", "id is required: 1 to 128 letters, digits, '.', '_' or '-', ONAP style {cloud-owner}_{cloud-region-id}.");
        }

        if (request.Type is null || !SupportedTypes.Contains(request.Type))
        {
            Fail("type", $"type '{request.Type}' is not supported: one of {string.Join(", ", SupportedTypes)}.");
        }

        if (!IsHttpUrl(request.Endpoint))
        {
            Fail("endpoint", request.Type == "openstack" && request.IdentityUrl is not null
                ? "endpoint is required: an absolute http or https URL, Glance's (used when the Keystone catalog lists no public image endpoint in the VIM's region)."
                : "endpoint is required: an absolute http or https URL.");
        }

        if (request.IdentityUrl is not null && (!IsHttpUrl(request.IdentityUrl) || request.Type != "openstack"
            || !new Uri(request.IdentityUrl).AbsolutePath.TrimEnd('/').EndsWith("/v3", StringComparison.Ordinal)))
        {
            Fail("identityUrl", "identityUrl is the Keystone v3 URL of an openstack VIM: an absolute http or https URL ending in /v3 (e.g. https://keystone.example:5000/v3).");
        }

        foreach (var (field, url) in new[] { ("endpoint", request.Endpoint), ("identityUrl", request.IdentityUrl) })
        {
            if (!errors.ContainsKey(field) && AddressProblem(field, url, allowPrivateAddresses, allowedPrivateNetworks) is { } problem)
            {
                Fail(field, problem);
            }
        }

        if (request.Type == "openstack" && (request.IdentityUrl is null) != (request.Credentials is null))
        {
            Fail("credentials", "an openstack VIM with Keystone needs both identityUrl and credentials (username, password and projectName, or applicationCredentialId and applicationCredentialSecret); one without Keystone needs neither.");
        }
        else if (request.Type == "openstack" && request.Credentials is { } keystone
            && !(keystone is { Username: not null, Password: not null, ProjectName: not null } or { ApplicationCredentialId: not null, ApplicationCredentialSecret: not null }))
        {
            Fail("credentials", "Keystone credentials are username, password and projectName (with userDomain and projectDomain, 'Default' when absent), or applicationCredentialId and applicationCredentialSecret.");
        }

        if (request.Type == "oci-registry" && request.Credentials is { } registry && !IsRegistryCredentials(registry))
        {
            Fail("credentials", "an oci-registry VIM takes no credentials (anonymous), username and password (basic auth, or exchanged for bearer tokens at the registry's token service), or a ready bearer token; nothing else.");
        }

        if (request.Tenant is { Length: 0 or > 128 })
        {
            Fail("tenant", "tenant is 1 to 128 characters.");
        }
        else if (request.Type == "oci-registry" && request.Tenant is { } ns && !OciNames.IsRepository(ns))
        {
            Fail("tenant", "the tenant of an oci-registry VIM is the namespace its repositories go under: lower-case letters and digits, separated by '.', '_', '__', '-' or '/' (e.g. 'edge/acme').");
        }
        else if (request.Type == "onap-multicloud" && request.Tenant is null)
        {
            Fail("tenant", "tenant is required for an onap-multicloud VIM: the Multicloud tenant id that images are placed in (the path is /{vimid}/{tenantid}/images).");
        }

        if (request.Type == "onap-multicloud" && request.Credentials is { } basic
            && basic is not { Username: not null, Password: not null, UserDomain: null, ProjectName: null, ProjectDomain: null, ApplicationCredentialId: null, ApplicationCredentialSecret: null, Token: null })
        {
            Fail("credentials", "an onap-multicloud VIM takes no credentials, or username and password only (HTTP basic authentication).");
        }

        if (request.Region is { Length: 0 or > 128 })
        {
            Fail("region", "region is 1 to 128 characters.");
        }

        if (request.Tags?.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > 64) == true || request.Tags?.Count > 64)
        {
            Fail("tags", "tags are at most 64, each non-empty and at most 64 characters.");
        }

        if (request.UploadMode is not null && (!VimUploadModes.All.Contains(request.UploadMode) || request.Type != "openstack"))
        {
            Fail("uploadMode", $"uploadMode is for openstack VIMs: one of {string.Join(", ", VimUploadModes.All)}.");
        }

        if (request.Tls is { CaCertificates: not null, InsecureSkipVerify: true })
        {
            Fail("tls", "tls.insecureSkipVerify turns certificate checks off; it cannot be combined with tls.caCertificates.");
        }
        else if (request.Tls?.CaCertificates is { } pem && !IsCertificateBundle(pem))
        {
            Fail("tls.caCertificates", "tls.caCertificates is one or more PEM certificates ('-----BEGIN CERTIFICATE-----'), at most 64 KiB.");
        }

        if (request.Limits?.MaxConcurrentUploads is < 1 or > 64)
        {
            Fail("limits.maxConcurrentUploads", "limits.maxConcurrentUploads is 1 to 64.");
        }

        if (request.Limits?.BandwidthBytesPerSecond is < 65_536)
        {
            Fail("limits.bandwidthBytesPerSecond", "limits.bandwidthBytesPerSecond is at least 65536 (64 KiB/s), or absent for no cap.");
        }

        // What is stored is logged and shown as it is, and PostgreSQL refuses NUL: no control characters (a PEM bundle keeps its
        // line breaks); the names people read (tenant, region, tags) no invisible or direction-changing characters either.
        foreach (var (field, value, rule) in TextOf(request))
        {
            if (rule(field, value) is { } problem)
            {
                Fail(field, problem);
            }
        }

        return errors;
    }

    static IEnumerable<(string Field, string? Value, Func<string, string?, string?> Rule)> TextOf(RegisterVimRequest request)
    {
        yield return ("id", request.Id, Text);
        yield return ("endpoint", request.Endpoint, Text);
        yield return ("identityUrl", request.IdentityUrl, Text);
        yield return ("tenant", request.Tenant, RequestText.ProblemWithName);
        yield return ("region", request.Region, RequestText.ProblemWithName);
        foreach (var tag in request.Tags ?? [])
        {
            yield return ("tags", tag, RequestText.ProblemWithName);
        }

        if (request.Credentials is { } credentials)
        {
            yield return ("credentials.username", credentials.Username, Text);
            yield return ("credentials.password", credentials.Password, Text);
            yield return ("credentials.userDomain", credentials.UserDomain, Text);
            yield return ("credentials.projectName", credentials.ProjectName, Text);
            yield return ("credentials.projectDomain", credentials.ProjectDomain, Text);
            yield return ("credentials.applicationCredentialId", credentials.ApplicationCredentialId, Text);
            yield return ("credentials.applicationCredentialSecret", credentials.ApplicationCredentialSecret, Text);
            yield return ("credentials.token", credentials.Token, Text);
        }

        yield return ("tls.caCertificates", request.Tls?.CaCertificates, TextWithLineBreaks);
    }

    /// <summary>Basic credentials or a token, and nothing of Keystone's.</summary>
    static bool IsRegistryCredentials(VimCredentials credentials) =>
        credentials is { UserDomain: null, ProjectName: null, ProjectDomain: null, ApplicationCredentialId: null, ApplicationCredentialSecret: null }
        && credentials is { Username: not null, Password: not null, Token: null } or { Token: not null, Username: null, Password: null };

    /// <summary>
    /// A user name or password in a VIM's URL would be shown to every viewer and logged, around the write-only
    /// credentials (said without repeating the URL); an address this installation may not reach is refused by name.
    /// </summary>
    static string? AddressProblem(string field, string? value, bool allowPrivateAddresses, IReadOnlyCollection<System.Net.IPNetwork>? allowedPrivateNetworks)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return null;
        }

        if (uri.UserInfo.Length > 0)
        {
            return $"{field} may not carry a user name or password (user:password@); give them as credentials, which are stored encrypted and never shown.";
        }

        return OutboundAddresses.LiteralOf(uri) is { } address && !OutboundAddresses.IsAllowed(address, allowPrivateAddresses, allowedPrivateNetworks)
            ? $"{field} points at {address}, a loopback or private address (a cloud's metadata service among them), which VIM connections may not reach here (Distribution:AllowPrivateVimAddresses, Distribution:AllowedPrivateVimNetworks)."
            : null;
    }

    static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    static bool IsCertificateBundle(string pem)
    {
        if (pem.Length > 65_536)
        {
            return false;
        }

        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPem(pem);
            return certificates.Count > 0;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    static string? Text(string field, string? value) => RequestText.ProblemWith(field, value);

    static string? TextWithLineBreaks(string field, string? value) => RequestText.ProblemWith(field, value, lineBreaksAllowed: true);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex VimId();
}
