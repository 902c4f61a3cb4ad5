using System.Text.Json.Nodes;

namespace ImageManager.Cli.Commands;

/// <summary>Waits for validation's verdict on an image: active (or deactivated) succeeds, rejected fails.</summary>
public static class ImageWaiter
{
    static readonly string[] Pending = ["queued", "validating"];

    /// <summary>The image once it left <c>queued</c>/<c>validating</c>; throws with exit 6 when rejected, 7 on timeout.</summary>
    /// <param name="earlierImportError">The image's importError before this import began: an earlier attempt's, not this one's.</param>
    public static async Task<string> WaitAsync(CommandContext context, Guid imageId, TimeSpan timeout, CancellationToken cancellationToken, string? earlierImportError = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var answer = await context.Api.GetAsync($"images/{imageId}", deadline.Token);
                var image = JsonNode.Parse(answer.Body)!;
                var status = image["status"]?.GetValue<string>();
                if (status == "rejected")
                {
                    var reason = image["rejectionReason"]?.GetValue<string>() ?? "no reason given";
                    throw new CliException(ExitCodes.Failed, $"Image {imageId} was rejected: {reason}");
                }

                // A failed import leaves the image queued (another import or an upload may follow) with the reason.
                if (status == "queued" && image["importError"]?.GetValue<string>() is { } importError && importError != earlierImportError)
                {
                    throw new CliException(ExitCodes.Failed, $"The import of image {imageId} failed: {importError}");
                }

                if (!Pending.Contains(status))
                {
                    return answer.Body;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.TimedOut, $"Image {imageId} was still being validated after {timeout.TotalSeconds:0} s (--timeout).");
        }
    }
}
