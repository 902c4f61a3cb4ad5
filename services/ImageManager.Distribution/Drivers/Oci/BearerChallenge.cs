using System.Net.Http.Headers;
using System.Text;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// A registry's <c>WWW-Authenticate: Bearer realm="…",service="…",scope="…"</c>: where to get a token, for which service,
/// and which scopes (space-separated, each <c>repository:name:actions</c>).
/// </summary>
public sealed record BearerChallenge(Uri Realm, string? Service, string? Scope)
{
    public static BearerChallenge? From(HttpResponseMessage response)
    {
        foreach (var challenge in response.Headers.WwwAuthenticate)
        {
            if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase) && From(challenge) is { } bearer)
            {
                return bearer;
            }
        }

        return null;
    }

    static BearerChallenge? From(AuthenticationHeaderValue challenge)
    {
        var parameters = Parameters(challenge.Parameter ?? "");
        return parameters.TryGetValue("realm", out var realm) && Uri.TryCreate(realm, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new BearerChallenge(uri, parameters.GetValueOrDefault("service"), parameters.GetValueOrDefault("scope"))
            : null;
    }

    /// <summary><c>key="quoted, with commas",key=token</c> (RFC 7235 auth-params).</summary>
    static Dictionary<string, string> Parameters(string text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] is ' ' or ',')
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var key = text[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i]);
                }

                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++)
                {
                    value.Append(text[i]);
                }
            }

            parameters[key] = value.ToString().Trim();
        }

        return parameters;
    }
}
