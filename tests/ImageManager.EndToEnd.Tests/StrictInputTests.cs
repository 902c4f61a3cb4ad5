using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>
/// Input is held to the contract, through the Api, for every service behind it: an unknown member is refused by name on
/// create as on patch, and every binding failure (malformed JSON, a path id that is no UUID, a query value of the wrong
/// type, a number out of range, a body of the wrong type) is a problem+json whose detail names the parameter or field and
/// says what it takes.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class StrictInputTests(SystemFixture system)
{
    [Theory]
    [InlineData("POST", "/api/v1/images", """{"name":"{unique}","version":"1","kind":"software-package","descripton":"typo"}""", "descripton", "description")]
    [InlineData("POST", "/api/v1/images", """{"name":"{unique}","version":"1","kind":"software-package","signature":{"value":"AA==","hashMethod":"SHA-256","keyType":"RSA-PSS","certificate":"x","extra":1}}""", "signature.extra", null)]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"openstack","endpoint":"http://127.0.0.1:9/","regoin":"edge"}""", "regoin", "region")]
    [InlineData("POST", "/api/v1/distributions", """{"imageId":"{image}","vimIds":["a"],"strategy":{"maxParalel":2}}""", "strategy.maxParalel", "maxParallel")]
    [InlineData("POST", "/api/v1/subscriptions", """{"url":"http://127.0.0.1:9/hook","secret":"0123456789abcdef","event":["image.created"]}""", "event", "events")]
    [InlineData("POST", "/api/v1/api-keys", """{"name":"{unique}","tenant":"t","roles":["viewer"],"role":"admin"}""", "role", "roles")]
    [InlineData("POST", "/api/v1/certificates", """{"pem":"x","nmae":"y"}""", "nmae", "name")]
    [InlineData("POST", "/api/v1/images/{image}/import", """{"method":"web-download","uri":"http://127.0.0.1:9/a","url":"x"}""", "url", "uri")]
    [InlineData("POST", "/api/v1/removals", """{"imageId":"{image}","vimIds":["a"],"vimId":"b"}""", "vimId", "vimIds")]
    public async Task When_a_body_has_a_member_the_request_does_not_know_it_is_refused_with_400_naming_it(
        string method, string path, string body, string field, string? suggested)
    {
        var problem = await SendAsync(method, path, body, HttpStatusCode.BadRequest);

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains($"'{field}'", detail, StringComparison.Ordinal);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors do not name {field}: {problem}");
        if (suggested is not null)
        {
            Assert.Contains(suggested, detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("POST", "/api/v1/images", """{"name":"x","version":"1",""", "line 1")]
    [InlineData("POST", "/api/v1/vims", "{\n  \"id\": \"a\",\n  \"type\" \"openstack\"\n}", "line 3")]
    [InlineData("POST", "/api/v1/distributions", """{"imageId": nope}""", "line 1")]
    [InlineData("POST", "/api/v1/subscriptions", """{"url" "http://127.0.0.1:9/hook"}""", "line 1")]
    public async Task When_a_body_is_not_json_the_detail_says_where_it_breaks(string method, string path, string body, string where)
    {
        var problem = await SendAsync(method, path, body, HttpStatusCode.BadRequest);

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("not valid JSON", detail, StringComparison.Ordinal);
        Assert.Contains(where, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/v1/images/abc")]
    [InlineData("PATCH", "/api/v1/images/abc")]
    [InlineData("DELETE", "/api/v1/images/abc")]
    [InlineData("GET", "/api/v1/images/abc/locations")]
    [InlineData("PUT", "/api/v1/images/abc/file")]
    [InlineData("GET", "/api/v1/distributions/abc")]
    [InlineData("GET", "/api/v1/distributions/abc/targets")]
    [InlineData("POST", "/api/v1/distributions/abc/cancel")]
    [InlineData("GET", "/api/v1/subscriptions/abc")]
    [InlineData("GET", "/api/v1/certificates/abc")]
    public async Task When_a_path_id_is_not_a_uuid_it_is_refused_with_400_naming_id(string method, string path)
    {
        // Each with the body its route takes, so that only the id is wrong (an image's file is octet-stream).
        var body = method is "PATCH" ? "{}" : method is "PUT" ? "bytes" : null;

        var problem = await SendAsync(method, path, body, HttpStatusCode.BadRequest);

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("id", detail, StringComparison.Ordinal);
        Assert.Contains("UUID", detail, StringComparison.Ordinal);
        Assert.Contains("'abc'", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/vims?limit=abc", "limit", "whole number")]
    [InlineData("/api/v1/distributions?limit=abc", "limit", "whole number")]
    [InlineData("/api/v1/distributions/{distribution}/targets?limit=1.5", "limit", "whole number")]
    [InlineData("/api/v1/images?limit=abc", "limit", "whole number")]
    [InlineData("/api/v1/subscriptions?limit=abc", "limit", "whole number")]
    [InlineData("/api/v1/audit?limit=abc", "limit", "whole number")]
    [InlineData("/api/v1/audit?since=bad", "since", "ISO-8601")]
    [InlineData("/api/v1/audit?until=2026-13-40", "until", "ISO-8601")]
    [InlineData("/api/v1/events/images/group/one?timeout=soon", "timeout", "whole number")]
    public async Task When_a_query_value_has_the_wrong_type_it_is_refused_with_400_naming_the_parameter_and_what_it_takes(
        string path, string parameter, string expected)
    {
        var filled = path.Replace("{distribution}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

        var problem = await SendAsync("GET", filled, null, HttpStatusCode.BadRequest);

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains(parameter, detail, StringComparison.Ordinal);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_delete_says_purge_maybe_it_is_refused_with_400_naming_purge()
    {
        var image = await system.CreateImageAsync($"purge-maybe-{Guid.NewGuid():N}"[..20]);

        var problem = await SendAsync("DELETE", $"/api/v1/images/{image}?purge=maybe", null, HttpStatusCode.BadRequest);

        Assert.Contains("purge", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("true or false", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"imageId":"{image}","vimIds":["a"],"strategy":{"maxParallel":2147483648}}""", "strategy.maxParallel", "whole number")]
    [InlineData("""{"imageId":"{image}","vimIds":["a"],"strategy":{"maxParallel":"two"}}""", "strategy.maxParallel", "whole number")]
    [InlineData("""{"imageId":"not-a-uuid","vimIds":["a"]}""", "imageId", "UUID")]
    [InlineData("""{"imageId":"{image}","vimIds":"a"}""", "vimIds", "array")]
    public async Task When_a_body_value_has_the_wrong_type_or_is_out_of_range_it_is_refused_with_400_naming_the_field(string body, string field, string expected)
    {
        var problem = await SendAsync("POST", "/api/v1/distributions", body, HttpStatusCode.BadRequest);

        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains(field, detail, StringComparison.Ordinal);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"errors do not name {field}: {problem}");
    }

    [Theory]
    [InlineData("POST", "/api/v1/images", "text/plain", "application/json")]
    [InlineData("POST", "/api/v1/vims", "application/xml", "application/json")]
    [InlineData("PATCH", "/api/v1/images/{image}/file", "application/octet-stream", "application/offset+octet-stream")]
    [InlineData("PATCH", "/api/v1/images/{image}", "text/plain", "application/merge-patch+json")]
    public async Task When_a_body_has_the_wrong_content_type_it_is_refused_with_415_naming_the_accepted_types(
        string method, string path, string contentType, string accepted)
    {
        var image = await system.CreateImageAsync($"media-{Guid.NewGuid():N}"[..16]);
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{image}", image.ToString(), StringComparison.Ordinal))
        {
            Content = new StringContent("{}", Encoding.UTF8, contentType),
        };
        request.Headers.Add("Upload-Offset", "0");

        using var response = await system.Api.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonNode.Parse(text)!["detail"]?.GetValue<string>() ?? "";
        Assert.Contains(accepted, detail, StringComparison.Ordinal);
        Assert.Contains(contentType, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/v1/images", """{"name":"vfw\u200B","version":"1","kind":"software-package"}""", "name")]
    [InlineData("POST", "/api/v1/images", """{"name":"{unique}","version":"1\u202E0","kind":"software-package"}""", "version")]
    [InlineData("POST", "/api/v1/images", """{"name":"{unique}","version":"1","kind":"software-package","vendor":"ac\uFEFFme"}""", "vendor")]
    [InlineData("POST", "/api/v1/images", """{"name":"{unique}","version":"1","kind":"software-package","tags":["5g\u2060"]}""", "tags")]
    [InlineData("POST", "/api/v1/images", """{"name":"\u2067vfw\u2069","version":"1","kind":"software-package"}""", "name")]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"openstack","endpoint":"http://127.0.0.1:9/","region":"edge\u200Dparis"}""", "region")]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"openstack","endpoint":"http://127.0.0.1:9/","tags":["\u202Aedge"]}""", "tags")]
    [InlineData("PATCH", "/api/v1/vims/{vim}", """{"region":"a\u200Cb"}""", "region")]
    [InlineData("POST", "/api/v1/api-keys", """{"name":"ci\u200Bbot","tenant":"t","roles":["viewer"]}""", "name")]
    [InlineData("POST", "/api/v1/certificates", """{"pem":"x","name":"root\u202Dca"}""", "name")]
    public async Task When_a_name_holds_an_invisible_or_direction_changing_character_it_is_refused_with_400_naming_the_field(
        string method, string path, string body, string field)
    {
        var problem = await SendAsync(method, path, body, HttpStatusCode.BadRequest);

        var named = problem["errors"]?.AsObject().Any(e => e.Key.StartsWith(field, StringComparison.Ordinal)) == true;
        Assert.True(named, $"{method} {path} does not name {field}: {problem}");
        Assert.Contains("U+", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_image_name_uses_letters_of_any_script_it_is_accepted()
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/images", new
        {
            name = system.Unique("пакет-ファイアウォール-جدار"),
            version = "1.0",
            kind = "software-package",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Sends <paramref name="body"/> (placeholders filled) and reads the problem, which must have <paramref name="status"/>.</summary>
    async Task<JsonObject> SendAsync(string method, string path, string? body, HttpStatusCode status)
    {
        var vim = path.Contains("{vim}", StringComparison.Ordinal) ? await system.RegisterGlanceAsync($"strict-{Guid.NewGuid():N}"[..16], Infrastructure.Glance2) : "";
        var image = path.Contains("{image}", StringComparison.Ordinal) || body?.Contains("{image}", StringComparison.Ordinal) == true
            ? await system.CreateImageAsync($"strict-{Guid.NewGuid():N}"[..16])
            : Guid.Empty;
        string Fill(string text) => text.Replace("{vim}", vim, StringComparison.Ordinal)
            .Replace("{newVim}", system.VimIdOf($"strict-{Guid.NewGuid():N}"[..20]), StringComparison.Ordinal)
            .Replace("{unique}", system.Unique($"strict-{Guid.NewGuid():N}"[..16]), StringComparison.Ordinal)
            .Replace("{image}", image.ToString(), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
        {
            request.Content = new StringContent(Fill(body), Encoding.UTF8,
                method switch { "PATCH" => "application/merge-patch+json", "PUT" => "application/octet-stream", _ => "application/json" });
        }

        using var response = await system.Api.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path} answered {(int)response.StatusCode}, not {(int)status}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), $"{method} {path}: no detail in {text}");
        return problem;
    }
}
