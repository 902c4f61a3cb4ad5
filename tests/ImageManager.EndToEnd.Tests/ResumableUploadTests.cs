using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using ImageManager.Contracts;
using ImageManager.Contracts.Images;
using ImageManager.ServiceDefaults.BusAccess;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The resumable upload protocol (HEAD / PATCH with Upload-Offset) across a connection that breaks.</summary>
[Collection(SystemCollection.Name)]
public sealed class ResumableUploadTests(SystemFixture system)
{
    [Fact]
    public async Task When_the_connection_breaks_at_a_random_offset_the_upload_resumes_from_the_last_byte_received()
    {
        var image = TestImage.Random(6 * 1024 * 1024);
        var imageId = await system.CreateImageAsync("resumable", sha512: image.Sha512);
        var breakAt = Random.Shared.Next(1, image.Bytes.Length - 1);

        // Announce everything, send up to a random byte, drop the connection.
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(system.Api.BaseAddress!.Host, system.Api.BaseAddress.Port);
            var stream = client.GetStream();
            var head = $"PATCH /api/v1/images/{imageId}/file HTTP/1.1\r\nHost: {system.Api.BaseAddress.Authority}\r\n" +
                       $"Authorization: Bearer {system.AdminKey}\r\n" +
                       $"Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nUpload-Length: {image.Bytes.Length}\r\n" +
                       $"Content-Length: {image.Bytes.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(image.Bytes.AsMemory(0, breakAt));
            await stream.FlushAsync();

            // The server writes bytes as they arrive, so HEAD shows them coming; once all are in, the connection is reset.
            // (Waiting matters: a reset also discards what the server's kernel holds unread, and Kestrel drops the last
            // segment of a body that ends early, so a blind break would test the network, not the server.)
            await Eventually.Get(() => OffsetAsync(imageId), reported => reported == breakAt, TimeSpan.FromSeconds(30), $"Upload-Offset {breakAt} while the PATCH is open");
            client.Client.Close(0);
        }

        // Every byte the server received is kept after the break; ask where to continue.
        var offset = await OffsetAsync(imageId);
        Assert.Equal(breakAt, offset);

        // The broken request's handler may still hold the upload for a moment (409 until it lets go).
        var status = await Eventually.Get(
            async () =>
            {
                using var rest = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{imageId}/file");
                rest.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
                rest.Content = new ByteArrayContent(image.Bytes, (int)offset, image.Bytes.Length - (int)offset);
                rest.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
                using var response = await system.Api.SendAsync(rest);
                return response.StatusCode;
            },
            answer => answer != HttpStatusCode.Conflict,
            TimeSpan.FromSeconds(30),
            "the rest of the upload accepted");
        Assert.Equal(HttpStatusCode.Accepted, status);

        // The declared sha512 proves the resumed bytes are the original ones, in order.
        var active = await system.WaitForStatusAsync(imageId, "active", "rejected");
        Assert.Equal("active", active["status"]!.GetValue<string>());
        Assert.Equal(image.Sha256, active["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_a_piece_arrives_at_the_wrong_offset_the_answer_says_where_to_continue()
    {
        var imageId = await system.CreateImageAsync("resumable-conflict");
        await Patch(imageId, 0, new byte[1000], length: 5000);

        using var wrong = await Patch(imageId, 200, new byte[10]);

        Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        Assert.Equal("1000", wrong.Headers.GetValues("Upload-Offset").Single());
        Assert.Contains("continue from 1000", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_patch_lacks_the_resumable_content_type_it_is_refused_with_415()
    {
        var imageId = await system.CreateImageAsync("resumable-type");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{imageId}/file") { Content = new ByteArrayContent([1, 2, 3]) };
        request.Headers.Add("Upload-Offset", "0");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await system.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task When_patches_of_one_image_race_each_gets_its_answer_or_a_409_saying_where_the_upload_stands_never_a_500()
    {
        var answers = new List<(HttpStatusCode Status, string Body)>();
        var ends = new List<(int Accepted, string Status, string? Sha256, string Expected)>();
        for (var round = 0; round < 10; round++)
        {
            var image = TestImage.Random(64 * 1024);
            var imageId = await system.CreateImageAsync($"resumable-race-{round}");

            // Four clients at once, each announcing the length and sending the whole file from 0: one writes, the rest are told.
            var racing = Enumerable.Range(0, 4).Select(async _ =>
            {
                using var response = await Patch(imageId, 0, image.Bytes, length: image.Bytes.Length);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            });
            var roundAnswers = await Task.WhenAll(racing);
            answers.AddRange(roundAnswers);
            var ended = await system.WaitForStatusAsync(imageId, "active", "rejected");
            ends.Add((roundAnswers.Count(a => a.StatusCode == HttpStatusCode.Accepted), ended["status"]!.GetValue<string>(), ended["sha256"]?.GetValue<string>(), image.Sha256));
        }

        var failures = answers.Where(a => a.Status is not (HttpStatusCode.Accepted or HttpStatusCode.NoContent or HttpStatusCode.Conflict)).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(3).Select(f => $"{(int)f.Status}: {f.Body}")));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Contains("\"detail\"", a.Body, StringComparison.Ordinal));
        // Each image has its bytes once, from the one client told 202: a client that comes after the upload completed,
        // also while it is assembled and until the catalogue has recorded it, is told the upload is complete (409).
        Assert.All(ends, end => Assert.Equal((1, "active", end.Expected), (end.Accepted, end.Status, end.Sha256)));
    }

    [Fact]
    public async Task When_an_assembly_is_delivered_again_after_the_catalogue_recorded_it_validation_is_asked_for_again()
    {
        // The blob is there (another image brought the same bytes) and the catalogue has recorded the upload, as the first
        // delivery of the assembly does just before it publishes ImageUploaded; then its replica died, or the broker
        // refused the publish. The message comes again, to this or another replica.
        var image = TestImage.Random(64 * 1024);
        var donorId = await system.CreateImageAsync("assembly-again-donor");
        await system.UploadAsync(donorId, image);
        await system.WaitForStatusAsync(donorId, "active");
        var imageId = await system.CreateImageAsync("assembly-again");
        using (var recorded = await system.CatalogService.PostAsJsonAsync(
                   $"/internal/v1/images/{imageId}/upload-completed", new { sha256 = image.Sha256, sizeBytes = image.Bytes.Length, uploadedBy = "assembly-test" }))
        {
            recorded.EnsureSuccessStatusCode();
        }

        await using var service = await OutsideSender.ConnectAsync(system.Broker.Uri, BrokerUser.Of(system.Broker.Uri)); // as the Api replica
        var endpoint = await service.Bus.GetSendEndpoint(new Uri($"exchange:{CommandQueues.AssembleImageUpload}"));
        await endpoint.Send(new AssembleImageUpload { ImageId = imageId, SizeBytes = image.Bytes.Length, UploadedBy = "assembly-test", ReceivedAt = DateTimeOffset.UtcNow });

        var validated = await system.WaitForStatusAsync(imageId, "active", "rejected");
        Assert.Equal(("active", image.Sha256), (validated["status"]!.GetValue<string>(), validated["sha256"]!.GetValue<string>()));
    }

    async Task<long> OffsetAsync(Guid imageId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"/api/v1/images/{imageId}/file");
        using var response = await system.Api.SendAsync(request);
        return response.Headers.TryGetValues("Upload-Offset", out var values) ? long.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    async Task<HttpResponseMessage> Patch(Guid imageId, long offset, byte[] bytes, long? length = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{imageId}/file") { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (length is { } total)
        {
            request.Headers.Add("Upload-Length", total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return await system.Api.SendAsync(request);
    }
}
