using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace ImageManager.Faults.Tests;

/// <summary>
/// A client sending a large image with the resumable protocol (PATCH with <c>Upload-Offset</c>, HEAD to ask where to
/// continue), as an operator's tool over a bad link would: whenever a request breaks, is refused, or stalls (no byte
/// taken for <see cref="StallLimit"/>), it asks the offset and continues from there. It writes down every request and
/// every resume.
/// </summary>
public sealed class ResumingUploader(HttpClient api, Guid imageId, int seed, long length, long bytesPerSecond)
{
    const int MaxRequests = 200;

    /// <summary>
    /// How long a request may take no byte (or, its body sent, give no answer) before the client gives it up, as tus
    /// clients do: a connection that went quiet is not waited on for the HttpClient's whole timeout.
    /// </summary>
    static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(60);

    readonly List<(long Offset, TimeSpan After)> _stalls = [];
    readonly List<long> _resumedAt = [];
    readonly List<int?> _answers = [];

    /// <summary>The offsets the upload continued from after a break (never 0 for a real resume).</summary>
    public IReadOnlyList<long> ResumedAt => _resumedAt;

    /// <summary>The status of every request sent (none: no answer, the connection broke or the request stalled).</summary>
    public IReadOnlyList<int?> Answers => _answers;

    /// <summary>The requests given up because they stalled: where each began, and how long it had run.</summary>
    public IReadOnlyList<(long Offset, TimeSpan After)> Stalls => _stalls;

    /// <summary>Sends the whole image; returns once the Api accepted its last byte (202).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        long offset = 0;
        for (var request = 0; request < MaxRequests; request++)
        {
            if (request > 0)
            {
                offset = await OffsetAsync(cancellationToken);
                _resumedAt.Add(offset);
            }

            var body = new PatternStream(seed, length, offset, bytesPerSecond);
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/images/{imageId}/file")
            {
                Content = new StreamContent(body, 256 * 1024),
            };
            patch.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            patch.Content.Headers.ContentLength = length - offset;
            if (offset == 0)
            {
                patch.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
            }

            using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var started = DateTime.UtcNow;
            var watch = WatchAsync(body, stalled);
            try
            {
                using var response = await api.SendAsync(patch, stalled.Token);
                _answers.Add((int)response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                _answers.Add(null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _answers.Add(null);
                _stalls.Add((offset, DateTime.UtcNow - started));
            }
            finally
            {
                await stalled.CancelAsync();
                await watch;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new InvalidOperationException($"The upload of {imageId} was not accepted after {MaxRequests} requests: {string.Join(", ", _answers)}.");
    }

    /// <summary>Cancels <paramref name="request"/> once its body has not moved for <see cref="StallLimit"/>; ends when the request does.</summary>
    static async Task WatchAsync(PatternStream body, CancellationTokenSource request)
    {
        var (position, movedAt) = (body.Position, DateTime.UtcNow);
        while (!request.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), request.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (body.Position != position)
            {
                (position, movedAt) = (body.Position, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - movedAt > StallLimit)
            {
                await request.CancelAsync();
            }
        }
    }

    /// <summary>Asks where to continue (HEAD), as long as it takes the Api to answer (bounded).</summary>
    async Task<long> OffsetAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var head = new HttpRequestMessage(HttpMethod.Head, $"/api/v1/images/{imageId}/file");
                using var response = await api.SendAsync(head, cancellationToken);
                _answers.Add((int)response.StatusCode);
                if (response.IsSuccessStatusCode && response.Headers.TryGetValues("Upload-Offset", out var values))
                {
                    return long.Parse(values.Single(), CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException)
            {
                _answers.Add(null);
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new InvalidOperationException($"The Api never said where the upload of {imageId} stands.");
    }
}
