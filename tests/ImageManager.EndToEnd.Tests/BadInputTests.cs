using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImageManager.Contracts.Images;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>Bad input gets a clear problem+json answer and loses or half-writes nothing.</summary>
[Collection(SystemCollection.Name)]
public sealed class BadInputTests(SystemFixture system)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("/api/v1/images")]
    [InlineData("/api/v1/vims")]
    [InlineData("/api/v1/vims/{vim}/images")]
    [InlineData("/api/v1/distributions")]
    [InlineData("/api/v1/distributions/{distribution}/targets")]
    [InlineData("/api/v1/audit")]
    public async Task When_a_list_is_asked_for_more_than_1000_at_once_it_is_refused_naming_the_limit(string list)
    {
        var path = list.Replace("{vim}", system.VimIdOf("any"), StringComparison.Ordinal)
            .Replace("{distribution}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

        using var response = await system.Api.GetAsync($"{path}?limit=1001");

        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit is a whole number from 1 to 1000", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_declared_checksum_does_not_match_the_image_is_rejected_with_expected_and_actual_digests()
    {
        var image = TestImage.Random(64 * 1024);
        var declared = new string('a', 64);
        var imageId = await system.CreateImageAsync("mismatch", sha256: declared);

        await system.UploadAsync(imageId, image);
        var rejected = await system.WaitForStatusAsync(imageId, "rejected");
        var reason = rejected["rejectionReason"]!.GetValue<string>();
        Assert.Contains(declared, reason, StringComparison.Ordinal);
        Assert.Contains(image.Sha256, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_an_unknown_image_is_read_or_uploaded_the_answer_is_a_404_problem_naming_it()
    {
        var unknown = Guid.NewGuid();
        await AssertProblem(await system.Api.GetAsync($"/api/v1/images/{unknown}"), HttpStatusCode.NotFound, unknown.ToString());
        await AssertProblem(await system.Api.PutAsync($"/api/v1/images/{unknown}/file", TestImage.Random(10).Content()), HttpStatusCode.NotFound, unknown.ToString());
    }

    [Fact]
    public async Task When_the_same_image_is_uploaded_a_second_time_the_answer_is_409()
    {
        var imageId = await system.CreateImageAsync("twice");
        await system.UploadAsync(imageId, TestImage.Random(1024));

        await AssertProblem(await system.Api.PutAsync($"/api/v1/images/{imageId}/file", TestImage.Random(1024).Content()), HttpStatusCode.Conflict, "uploaded once");
    }

    [Fact]
    public async Task When_an_image_that_is_not_active_is_distributed_the_answer_is_409()
    {
        var imageId = await system.CreateImageAsync("not-active");
        var vim = await system.RegisterGlanceAsync("idle", Infrastructure.Glance2);
        await AssertProblem(
            await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { vim } }),
            HttpStatusCode.Conflict,
            "queued");
    }

    [Fact]
    public async Task When_a_distribution_names_an_unknown_vim_the_answer_is_400_naming_it()
    {
        var image = TestImage.Random(2048);
        var imageId = await system.CreateImageAsync("unknown-vim");
        await system.UploadAsync(imageId, image);
        await system.WaitForStatusAsync(imageId, "active");
        await AssertProblem(
            await system.Api.PostAsJsonAsync("/api/v1/distributions", new { imageId, vimIds = new[] { "nobody_nowhere" } }),
            HttpStatusCode.BadRequest,
            "nobody_nowhere");
    }

    [Fact]
    public async Task When_an_image_is_invalid_the_answer_is_400_naming_its_fields()
    {
        using var response = await system.Api.PostAsJsonAsync("/api/v1/images", new { name = "bad\u0001name", kind = "vm-image", diskFormat = "floppy" });
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "diskFormat");
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("name"));
        Assert.True(errors.ContainsKey("version"));
        Assert.True(errors.ContainsKey("diskFormat"));
    }

    [Theory]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"openstack","endpoint":"http://127.0.0.1:9/","region":"edge\u0000paris"}""", "region")]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"openstack","endpoint":"http://127.0.0.1:9/","region":"edge\u0007paris"}""", "region")]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"openstack","endpoint":"http://127.0.0.1:9/","tags":["edge","5g\u0000"]}""", "tags")]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"openstack","endpoint":"http://127.0.0.1:9/","tags":["edge\u009b"]}""", "tags")]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"onap-multicloud","endpoint":"http://127.0.0.1:9/","tenant":"t\u0001"}""", "tenant")]
    [InlineData("POST", "/api/v1/vims", """{"id":"{newVim}","type":"oci-registry","endpoint":"http://127.0.0.1:9/","credentials":{"username":"u\u0000","password":"p"}}""", "credentials")]
    [InlineData("PATCH", "/api/v1/vims/{vim}", """{"region":"a\u0000b"}""", "region")]
    [InlineData("PATCH", "/api/v1/vims/{vim}", """{"tags":["a\u001bb"]}""", "tags")]
    [InlineData("GET", "/api/v1/vims?region=a%00b", null, "region")]
    [InlineData("GET", "/api/v1/vims?tag=a%00b", null, "tag")]
    [InlineData("GET", "/api/v1/vims?marker=a%00b", null, "marker")]
    // A NUL in a path (%00) never reaches a service: Kestrel answers such a request line 400 itself, before any middleware.
    [InlineData("GET", "/api/v1/vims/a%01b", null, "id")]
    [InlineData("GET", "/api/v1/vims/{vim}/images?state=a%00", null, "state")]
    [InlineData("GET", "/api/v1/distributions/{distribution}/targets?marker=a%00b", null, "marker")]
    [InlineData("GET", "/api/v1/distributions?state=a%01", null, "state")]
    [InlineData("POST", "/api/v1/distributions", """{"imageId":"{image}","vimIds":["a\u0000b"]}""", "vimIds")]
    [InlineData("POST", "/api/v1/distributions", """{"imageId":"{image}","selector":{"region":"a\u0000b"}}""", "selector")]
    [InlineData("POST", "/api/v1/images", """{"name":"a\u0000b","version":"1","kind":"software-package"}""", "name")]
    [InlineData("POST", "/api/v1/images", """{"name":"{unique}","version":"1","kind":"software-package","description":"a\u0000b"}""", "description")]
    [InlineData("POST", "/api/v1/images", """{"name":"{unique}","version":"1","kind":"software-package","description":"a\u0008b"}""", "description")]
    [InlineData("PATCH", "/api/v1/images/{image}", """{"description":"a\u0000b"}""", "description")]
    [InlineData("GET", "/api/v1/images?marker=a%00b", null, "marker")]
    [InlineData("GET", "/api/v1/images?name=a%00b", null, "name")]
    [InlineData("GET", "/api/v1/images?tag=a%00b", null, "tag")]
    [InlineData("POST", "/api/v1/images/{image}/import", """{"method":"web-download","uri":"http://127.0.0.1/a\u0000b"}""", "uri")]
    [InlineData("POST", "/api/v1/subscriptions", """{"url":"http://127.0.0.1:9/hook","secret":"0123456789abcdef","description":"a\u0000b"}""", "description")]
    [InlineData("POST", "/api/v1/subscriptions", """{"url":"http://127.0.0.1:9/hook","secret":"0123456789abcdef","description":"a\u0085b"}""", "description")]
    [InlineData("POST", "/api/v1/subscriptions", """{"url":"http://127.0.0.1:9/ho\u0001ok","secret":"0123456789abcdef"}""", "url")]
    [InlineData("GET", "/api/v1/subscriptions?marker=a%00", null, "marker")]
    [InlineData("POST", "/api/v1/api-keys", """{"name":"a\u0000b","tenant":"t","roles":["viewer"]}""", "name")]
    [InlineData("POST", "/api/v1/api-keys", """{"name":"a\u0002b","tenant":"t","roles":["viewer"]}""", "name")]
    [InlineData("GET", "/api/v1/audit?marker=a%00b", null, "marker")]
    [InlineData("GET", "/api/v1/events/images/group%1B/one", null, "consumerGroup")]
    public async Task When_a_request_field_holds_nul_or_a_control_character_it_is_refused_with_400_naming_the_field(string method, string path, string? body, string field)
    {
        var vim = path.Contains("{vim}", StringComparison.Ordinal) ? await system.RegisterGlanceAsync($"control-{Guid.NewGuid():N}"[..16], Infrastructure.Glance2) : "";
        var image = path.Contains("{image}", StringComparison.Ordinal) || body?.Contains("{image}", StringComparison.Ordinal) == true
            ? await system.CreateImageAsync($"control-{Guid.NewGuid():N}"[..16])
            : Guid.Empty;
        string Fill(string text) => text.Replace("{vim}", vim, StringComparison.Ordinal)
            .Replace("{newVim}", system.VimIdOf($"control-{Guid.NewGuid():N}"[..20]), StringComparison.Ordinal)
            .Replace("{unique}", system.Unique($"control-{Guid.NewGuid():N}"[..16]), StringComparison.Ordinal)
            .Replace("{image}", image.ToString(), StringComparison.Ordinal)
            .Replace("{distribution}", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
        {
            request.Content = new StringContent(Fill(body), Encoding.UTF8, method == "PATCH" ? "application/merge-patch+json" : "application/json");
        }

        using var response = await system.Api.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        var named = problem["errors"]?.AsObject().Select(e => e.Key).Any(key => key.StartsWith(field, StringComparison.Ordinal)) == true
            || problem["detail"]?.GetValue<string>().Contains(field, StringComparison.Ordinal) == true;
        Assert.True(named, $"{method} {path} does not name {field}: {text}");
        Assert.DoesNotContain('\0', text);
    }

    [Fact]
    public async Task When_an_upload_is_cut_off_midstream_no_blob_and_no_event_remain_and_a_new_upload_succeeds()
    {
        var image = TestImage.Random(4 * 1024 * 1024);
        var imageId = await system.CreateImageAsync("cut-off");

        // Announce the whole file, send a quarter, then drop the connection.
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(system.Api.BaseAddress!.Host, system.Api.BaseAddress.Port);
            var stream = client.GetStream();
            var head = $"PUT /api/v1/images/{imageId}/file HTTP/1.1\r\nHost: {system.Api.BaseAddress.Authority}\r\n" +
                       $"Content-Type: application/octet-stream\r\nContent-Length: {image.Bytes.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(image.Bytes.AsMemory(0, image.Bytes.Length / 4));
            await stream.FlushAsync();
            await Task.Delay(300);
            client.Client.Close(0);
        }

        // The incoming file of the broken upload is removed as soon as the Api notices the connection is gone.
        var incoming = Path.Combine(system.BlobRoot, "incoming");
        await Eventually.Get(
            () => Task.FromResult(Directory.Exists(incoming) ? Directory.GetFiles(incoming).Length : 0),
            count => count == 0,
            Patience,
            "the half-written upload to be removed");
        Assert.Equal("queued", (await system.GetJsonAsync($"/api/v1/images/{imageId}"))["status"]!.GetValue<string>());

        await system.UploadAsync(imageId, image);

        await Eventually.Get(
            () => Task.FromResult(BusRecorder.All<ImageUploaded>().Count(e => e.ImageId == imageId)),
            count => count >= 1,
            Patience,
            "the complete upload's ImageUploaded");
        var events = BusRecorder.All<ImageUploaded>().Where(e => e.ImageId == imageId).ToList();
        Assert.Single(events);
        Assert.Equal(image.Sha256, events[0].Sha256);
        // Blobs are named by their SHA-256: a quarter kept as if it were an image would be the quarter's hash. (By size alone,
        // another test's 1 MiB image looked like one.)
        var quarter = Convert.ToHexStringLower(SHA256.HashData(image.Bytes.AsSpan(0, image.Bytes.Length / 4)));
        var blobs = Directory.GetFiles(Path.Combine(system.BlobRoot, "sha256"), "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(blobs, path => Path.GetFileName(path) == quarter);
        Assert.Contains(blobs, path => Path.GetFileName(path) == image.Sha256);
    }

    static async Task<JsonObject> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailMentions)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains(detailMentions, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            return problem;
        }
    }
}
