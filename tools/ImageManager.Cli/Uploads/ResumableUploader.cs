using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ImageManager.Cli.Connection;
using ImageManager.Cli.Output;

namespace ImageManager.Cli.Uploads;

/// <summary>
/// Uploads a file with the Api's resumable protocol (HEAD, then PATCH at <c>Upload-Offset</c>): it first asks how many
/// bytes the Api already has and sends only the rest, so an upload broken off (a lost connection, a killed process)
/// continues where it stopped, on this run's retries or on the next run.
/// </summary>
public sealed class ResumableUploader(ApiClient api, ProgressBar bar)
{
    const string OffsetHeader = "Upload-Offset";
    const string LengthHeader = "Upload-Length";

    public long? BytesPerSecond { get; init; }
    public int Retries { get; init; } = 3;

    /// <summary>Where the upload resumed from on its first attempt (0 for a fresh one).</summary>
    public long ResumedAt { get; private set; }

    /// <summary>Sends the file; answers the Api's 202 (the image, now validating).</summary>
    public async Task<ApiAnswer> UploadAsync(Guid imageId, string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new CliException(ExitCodes.Usage, $"There is no file {file}.");
        }

        var length = new FileInfo(file).Length;
        var path = ApiClient.Route($"images/{imageId}/file");
        for (var attempt = 0; ; attempt++)
        {
            var offset = await OffsetAsync(imageId, path, length, cancellationToken);
            if (attempt == 0)
            {
                ResumedAt = offset;
            }

            if (offset > 0)
            {
                await Console.Error.WriteLineAsync(
                    $"Resuming the upload at byte {offset.ToString(CultureInfo.InvariantCulture)} of {length.ToString(CultureInfo.InvariantCulture)} ({ResultWriter.Bytes(offset)} already there).");
            }

            var stream = File.OpenRead(file);
            stream.Seek(offset, SeekOrigin.Begin);
            var request = new HttpRequestMessage(HttpMethod.Patch, path)
            {
                Content = new StreamContent(new ProgressStream(stream, offset, length, bar, BytesPerSecond), 1 << 20),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            request.Content.Headers.ContentLength = length - offset;
            request.Headers.Add(OffsetHeader, offset.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(LengthHeader, length.ToString(CultureInfo.InvariantCulture));
            try
            {
                var answer = await api.SendAsync(request, cancellationToken);
                if (answer.StatusCode == HttpStatusCode.Accepted)
                {
                    bar.Finish();
                    return answer;
                }
            }
            catch (CliException exception) when (IsWorthResuming(exception) && attempt < Retries)
            {
                bar.Finish();
                await Console.Error.WriteLineAsync($"The upload broke off ({exception.Message}); asking the Api how much arrived, then continuing.");
                await Task.Delay(TimeSpan.FromSeconds(attempt + 1), cancellationToken);
            }
        }
    }

    /// <summary>How many bytes of this image's upload the Api has (HEAD); checks the file is the one announced.</summary>
    async Task<long> OffsetAsync(Guid imageId, string path, long length, CancellationToken cancellationToken)
    {
        ApiAnswer status;
        try
        {
            status = await api.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), cancellationToken);
        }
        catch (CliException exception) when (exception.ExitCode is ExitCodes.Refused or ExitCodes.NotFound)
        {
            // A HEAD answer has no body to say why; the image itself does (or its 404 does).
            var image = await api.GetAsync($"images/{imageId}", cancellationToken);
            var state = System.Text.Json.Nodes.JsonNode.Parse(image.Body)?["status"]?.GetValue<string>();
            throw new CliException(ExitCodes.Refused, $"Image {imageId} is '{state}'; only a queued image takes an upload.", exception);
        }

        var offset = Header(status, OffsetHeader) ?? 0;
        if (Header(status, LengthHeader) is { } announced && announced != length)
        {
            throw new CliException(ExitCodes.Refused,
                $"An upload of {announced} bytes is under way for image {imageId}, but {length} bytes were given: is it the same file?");
        }

        return offset;
    }

    /// <summary>
    /// The connection broke, the Api says it did ("Upload interrupted"), or the Api still counted a previous attempt's
    /// bytes when this one began ("Upload conflict"): in each case HEAD tells where to go on.
    /// </summary>
    static bool IsWorthResuming(CliException exception) =>
        exception.IsTransport || exception.ExitCode == ExitCodes.Refused &&
        (exception.Message.StartsWith("Upload interrupted", StringComparison.Ordinal) || exception.Message.StartsWith("Upload conflict", StringComparison.Ordinal));

    static long? Header(ApiAnswer answer, string name) =>
        answer.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
