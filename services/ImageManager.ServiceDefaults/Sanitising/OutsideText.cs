using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace ImageManager.ServiceDefaults.Sanitising;

/// <summary>
/// Text from outside (a VIM's error body, a webhook subscriber's answer, an exception's message) made safe before it is
/// stored, logged or shown: valid UTF-16 (so valid UTF-8 for the databases), no NUL or other control character (line
/// breaks and tabs become spaces, so one log entry stays one line), capped in length, and without secrets: credentials
/// in URLs, query parameters' values (signed download links carry <c>expires</c> and <c>signature</c>), tokens and
/// passwords. PostgreSQL refuses NUL in text; one such answer once held a whole batch of progress for good.
/// </summary>
public static partial class OutsideText
{
    /// <summary>How much of an answer's body is read for its text: an error says what it has to say in its first few KiB.</summary>
    public const int BodyReadLimit = 4096;

    public const string Redacted = "[redacted]";
    const char Replacement = '\uFFFD';
    const char Ellipsis = '\u2026';

    /// <summary>
    /// <paramref name="text"/> made safe, at most <paramref name="maxLength"/> characters (cut with an ellipsis); null
    /// stays null.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Sanitise(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (text is null)
        {
            return null;
        }

        // Only the start matters; twice the cap (and some) leaves room for what redaction takes away.
        var window = (maxLength * 2) + 256;
        var cut = text.Length > window;
        var cleaned = Clean(cut ? text[..window] : text);
        if (cut && cleaned.LastIndexOf(' ') is var lastSpace and > 0)
        {
            // The last word was cut through: it may be half a URL or a token, which redaction would no longer recognise.
            cleaned = cleaned[..lastSpace];
        }

        var redacted = Redact(cleaned);
        return redacted.Length > maxLength || cut ? Cap(redacted, maxLength) : redacted;
    }

    /// <summary>UTF-8 bytes from outside, decoded (invalid sequences replaced) and made safe.</summary>
    public static string Sanitise(ReadOnlySpan<byte> utf8, int maxLength) => Sanitise(Encoding.UTF8.GetString(utf8), maxLength);

    /// <summary>
    /// The start of an answer's body as text, not yet safe: at most <paramref name="maxBytes"/> bytes are read (the rest is
    /// neither waited for nor held in memory), decoded as UTF-8 whatever the answer's charset claims, invalid bytes
    /// replaced. A body that breaks off gives what came. For parsing (an error document); pass what is kept through
    /// <see cref="Sanitise(string?, int)"/>.
    /// </summary>
    public static async Task<string> ReadStartAsync(HttpContent content, CancellationToken cancellationToken, int maxBytes = BodyReadLimit)
    {
        var buffer = new byte[maxBytes];
        var read = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            int got;
            while (read < buffer.Length && (got = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += got;
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            // What came is what there is to say.
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>The start of an answer's body, made safe: for a reason shown as the peer said it.</summary>
    public static async Task<string> ReadAsync(HttpContent content, int maxLength, CancellationToken cancellationToken) =>
        Sanitise(await ReadStartAsync(content, cancellationToken), maxLength);

    /// <summary>
    /// Line breaks and tabs become one space, other control characters (C0, DEL, C1) and lone surrogates one replacement
    /// character per run, bidirectional overrides (which make a log line read otherwise than it is) go.
    /// </summary>
    static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (c is '\t' or '\n' or '\v' or '\f' or '\r' or '\u0085' or '\u2028' or '\u2029' || char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else if (char.IsControl(c) || char.IsSurrogate(c) || c == Replacement)
            {
                if (builder.Length == 0 || builder[^1] != Replacement)
                {
                    builder.Append(Replacement);
                }
            }
            else if (c is not ('\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF'))
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    static string Redact(string text)
    {
        text = UserInfo().Replace(text, $"${{scheme}}{Redacted}@");
        text = QueryValue().Replace(text, Redacted);
        text = EncodedQueryValue().Replace(text, Redacted);
        text = SecretHeader().Replace(text, $"${{name}}: {Redacted}");
        text = AuthorizationScheme().Replace(text, $"${{scheme}} {Redacted}");
        text = SecretField().Replace(text, match => match.Groups["key"].Value + match.Groups["value"].Value switch
        {
            ['"', ..] => $"\"{Redacted}\"",
            ['\'', ..] => $"'{Redacted}'",
            _ => Redacted,
        });
        return text;
    }

    static string Cap(string text, int maxLength)
    {
        if (text.Length < maxLength)
        {
            return text + Ellipsis;
        }

        var keep = maxLength - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--; // never half a character
        }

        return text[..keep] + Ellipsis;
    }

    /// <summary><c>scheme://user:password@</c>: whatever stands before the <c>@</c> of a URL's authority.</summary>
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^\s/?#@]+@")]
    private static partial Regex UserInfo();

    /// <summary>The value of each query (or form) parameter: <c>?expires=…&amp;signature=…</c> keeps the names only.</summary>
    [GeneratedRegex(@"(?<=[?&;][A-Za-z0-9_.~%\-\[\]]{1,100}=)[^\s&#;""'<>]+")]
    private static partial Regex QueryValue();

    /// <summary>The same in a URL-encoded URL (quoted inside another URL or a log line): <c>%3Fexpires%3D…%26signature%3D…</c>.</summary>
    [GeneratedRegex(@"(?<=(?:%3[Ff]|%26)[A-Za-z0-9_.~\-]{1,100}%3[Dd])[^\s&#;""'<>%]+")]
    private static partial Regex EncodedQueryValue();

    /// <summary>Headers that carry credentials, as a peer may echo them: <c>X-Auth-Token: …</c>, <c>Authorization: …</c>.</summary>
    [GeneratedRegex(@"(?<name>\b(?:X-Auth-Token|X-Subject-Token|X-Amz-Security-Token|X-Registry-Auth|Proxy-Authorization|Authorization|Set-Cookie|Cookie))\s*[:=]\s*(?:""[^""]*""|(?:(?:Bearer|Basic|Digest|Negotiate|Token)\s+)?\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretHeader();

    /// <summary>A token after an authorization scheme: <c>Bearer eyJ…</c>, <c>Basic dXNlcjpw…</c> (not "basic authentication": a token has a digit or a sign).</summary>
    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|Token))\s+(?=[A-Za-z0-9\-._~+/]*[0-9\-._~+/=])[A-Za-z0-9\-._~+/]{6,}=*", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationScheme();

    /// <summary>A secret as a JSON member (<c>"password": "…"</c>), a Python dict's (<c>'password': '…'</c>, as OpenStack services log and quote them) or a form field (<c>password=…</c>).</summary>
    [GeneratedRegex(@"(?<key>([""'])(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|client[_-]?secret|application[_-]?credential[_-]?secret|signature)\1\s*:\s*|\b(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|signature)=)(?<value>""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'|[^\s,;&}""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretField();
}
