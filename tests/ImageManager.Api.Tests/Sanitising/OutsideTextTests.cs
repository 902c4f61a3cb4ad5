using System.Net;
using System.Text;
using ImageManager.ServiceDefaults.Sanitising;
using ImageManager.Testing;

namespace ImageManager.Api.Tests.Sanitising;

/// <summary>Text from outside, made safe to store, log and show: printable, valid, short, and without secrets.</summary>
public sealed class OutsideTextTests
{
    [Fact]
    public void When_text_holds_nul_and_control_characters_each_run_is_replaced_and_the_rest_kept()
    {
        Assert.Equal("bad\uFFFDname \uFFFD[31mred", OutsideText.Sanitise("bad\0\0name \u001b[31mred", 100));
    }

    [Fact]
    public void When_text_holds_c1_controls_and_bidirectional_overrides_none_is_left()
    {
        var safe = OutsideText.Sanitise("a\u009b2Jb\u0085c\u202Eevil\u2066d\u007F", 100);

        Assert.Equal("a\uFFFD2Jb cevild\uFFFD", safe);
    }

    [Fact]
    public void When_text_has_line_breaks_and_tabs_it_becomes_one_line_with_single_spaces()
    {
        Assert.Equal("queue full retry later", OutsideText.Sanitise("  queue full\r\n\r\n\tretry   later\u2028 ", 100));
    }

    [Fact]
    public void When_bytes_are_not_utf8_they_are_decoded_with_replacement_characters()
    {
        byte[] bytes = [(byte)'o', (byte)'k', 0xFF, 0xFE, 0xC3, 0x28, (byte)' ', 0xE2, 0x82, (byte)'!'];

        Assert.Equal("ok\uFFFD( \uFFFD!", OutsideText.Sanitise(bytes, 100));
    }

    [Fact]
    public void When_text_has_lone_surrogates_they_are_replaced_and_pairs_are_kept()
    {
        var safe = OutsideText.Sanitise("x\uD800y\uDC00z \U0001F600", 100);

        Assert.Equal("x\uFFFDy\uFFFDz \U0001F600", safe);
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(safe);
    }

    [Fact]
    public void When_text_is_longer_than_the_cap_it_is_cut_with_an_ellipsis_never_through_a_character()
    {
        Assert.Equal("abcd\u2026", OutsideText.Sanitise("abcdefgh", 5));
        Assert.Equal("abc\u2026", OutsideText.Sanitise("abc\U0001F600fgh", 5));
        Assert.Equal("abcde", OutsideText.Sanitise("abcde", 5));
        Assert.Null(OutsideText.Sanitise((string?)null, 5));
    }

    [Fact]
    public void When_text_is_huge_only_its_start_is_looked_at()
    {
        var safe = OutsideText.Sanitise(new string('x', 50_000_000), 300);

        Assert.Equal(300, safe.Length);
        Assert.EndsWith("\u2026", safe, StringComparison.Ordinal);
    }

    [Theory]
    // A URL's query keeps its parameters' names only (a signed download link carries expires and signature).
    [InlineData("import from http://127.0.0.1:5080/api/v1/images/7/file?expires=1767225600&signature=9f86d081884c7d65 failed",
        "import from http://127.0.0.1:5080/api/v1/images/7/file?expires=[redacted]&signature=[redacted] failed")]
    [InlineData("GET /v2/?n=100&last=abc said no", "GET /v2/?n=[redacted]&last=[redacted] said no")]
    [InlineData("https://s3.example/bucket/k?X-Amz-Signature=abc123&X-Amz-Credential=AKIA%2F1#frag", "https://s3.example/bucket/k?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]#frag")]
    // A URL's user information goes whole.
    [InlineData("see http://admin:s3cr3t@vim.example:9292/v2", "see http://[redacted]@vim.example:9292/v2")]
    [InlineData("amqp://guest:guest@127.0.0.1:5672/ down", "amqp://[redacted]@127.0.0.1:5672/ down")]
    [InlineData("https://token@registry.example/v2/", "https://[redacted]@registry.example/v2/")]
    // Tokens in headers or after an authorization scheme, passwords in JSON or forms.
    [InlineData("X-Auth-Token: gAAAAABk1x2y3z", "X-Auth-Token: [redacted]")]
    [InlineData("sent Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig4 and", "sent Authorization: [redacted] and")]
    [InlineData("header Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc", "header Bearer [redacted]")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==", "Basic [redacted]")]
    [InlineData("{\"password\": \"hunter2\", \"user\": \"im\"}", "{\"password\": \"[redacted]\", \"user\": \"im\"}")]
    [InlineData("token=abc123 rest", "token=[redacted] rest")]
    // How a VIM may quote a signed download link back: HTML-escaped, URL-encoded inside another URL, as a Python dict.
    [InlineData("does not pass filtering: http://h/f?expires=1&amp;signature=9f86d081 end", "does not pass filtering: http://h/f?expires=[redacted]&amp;signature=[redacted] end")]
    [InlineData("GET /fetch?url=http%3A%2F%2Fh%2Ff%3Fexpires%3D1%26signature%3D9f86d081 said 502", "GET /fetch?url=[redacted] said 502")]
    [InlineData("proxy to http%3A%2F%2Fh%2Ff%3Fexpires%3D1%26signature%3D9f86d081 failed", "proxy to http%3A%2F%2Fh%2Ff%3Fexpires%3D[redacted]%26signature%3D[redacted] failed")]
    [InlineData("{'uri': 'x', 'signature': '9f86d081'}", "{'uri': 'x', 'signature': '[redacted]'}")]
    public void When_text_carries_secrets_they_are_redacted(string text, string expected)
    {
        Assert.Equal(expected, OutsideText.Sanitise(text, 1000));
    }

    [Theory]
    [InlineData("an onap-multicloud VIM takes HTTP basic authentication only")]
    [InlineData("The registry at http://127.0.0.1:5000 asked for a bearer token in the middle of an upload; the next attempt starts with one.")]
    [InlineData("Keystone at http://127.0.0.1:35357 answered 201 without a token (X-Subject-Token) and its expiry: is it v3?")]
    [InlineData("Glance's os_hash_value 9f86d0 differs from the image's sha512 e3b0c4.")]
    public void When_text_is_plain_it_is_left_as_it_is(string text)
    {
        Assert.Equal(text, OutsideText.Sanitise(text, 1000));
    }

    [Fact]
    public void When_a_secret_is_cut_by_the_window_what_is_left_of_it_is_not_shown()
    {
        var text = new string('a', 400) + " http://admin:" + new string('p', 5000) + "@host/";

        Assert.DoesNotContain("ppp", OutsideText.Sanitise(text, 100), StringComparison.Ordinal);
    }

    [Fact]
    public void When_a_peer_answers_binary_garbage_the_text_is_readable_and_holds_none_of_its_secrets()
    {
        HostileBytes.AssertReadable(OutsideText.Sanitise(HostileBytes.Body(), 500));
    }

    [Fact]
    public async Task When_an_answer_is_large_only_its_start_is_read_whatever_its_charset_says()
    {
        using var server = new LoopbackHttpServer(async context =>
        {
            context.Response.StatusCode = (int)HttpStatusCode.BadGateway;
            context.Response.ContentType = "text/plain; charset=x-no-such-charset";
            var chunk = Encoding.UTF8.GetBytes(new string('z', 64 * 1024));
            for (var i = 0; i < 64; i++)
            {
                await context.Response.OutputStream.WriteAsync(chunk); // 4 MiB in all, unless the reader leaves
            }
        });
        using var http = new HttpClient();
        using var response = await http.GetAsync(server.Address, HttpCompletionOption.ResponseHeadersRead);

        var text = await OutsideText.ReadStartAsync(response.Content, CancellationToken.None);

        Assert.Equal(OutsideText.BodyReadLimit, text.Length);
        Assert.Equal("zzzz", (await OutsideText.ReadAsync(new ByteArrayContent("zzzz\0"u8.ToArray()), 10, CancellationToken.None))[..4]);
    }
}
