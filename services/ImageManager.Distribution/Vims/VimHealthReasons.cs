using System.Text.Json;
using ImageManager.Distribution.Drivers;

namespace ImageManager.Distribution.Vims;

/// <summary>What a VIM's last failed contact found, in one word (<c>health.reason</c>); the sentence is in <c>lastError</c>.</summary>
public static class VimHealthReasons
{
    /// <summary>No answer: connection refused, no such host, reset, or no answer in time.</summary>
    public const string Unreachable = "unreachable";

    /// <summary>The TLS handshake failed: certificate untrusted, expired, for another name, or no TLS at that address.</summary>
    public const string Tls = "tls";

    /// <summary>The credentials were refused (Keystone's 401, a registry's or Glance's 401/403).</summary>
    public const string Authentication = "authentication";

    /// <summary>Something answered, but not the API the VIM is registered as (not Glance, not a registry, not Keystone, not Multicloud).</summary>
    public const string WrongApi = "wrong-api";

    /// <summary>The address is one this installation may not reach (<c>Distribution:AllowPrivateVimAddresses</c>).</summary>
    public const string AddressRefused = "address-refused";

    /// <summary>The VIM's API answered with an error of its own (a 5xx, a refusal).</summary>
    public const string Refused = "refused";

    /// <summary>What <paramref name="exception"/>, from a call to a VIM, says of the VIM.</summary>
    public static string Of(Exception exception) => exception switch
    {
        VimRejectedException { HealthReason: { } reason } => reason,
        VimTransientException { HealthReason: { } reason } => reason,
        OperationCanceledException => Unreachable,
        JsonException => WrongApi,
        _ => Refused,
    };
}
