using System.Text.Json.Nodes;

namespace ImageManager.Cli.Commands;

/// <summary>Waits for validation's verdict on an image: active (or deactivated) succeeds, rejected fails.</summary>
public static class ImageWaiter
{
    static readonly string[] Pending = ["queued", "validating"];

    /// <summary>The image once it left <c>queued</c>/<c>validating</c>; throws with exit 6 when rejected, 7 on timeout.</summary>
    public static async Task<string> WaitAsync(CommandContext context, Guid imageId, TimeSpan timeout, CancellationToken cancellationToken)
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
                    var reason = image["rejectionReason"]?.GetValue<string>() ?? image["importError"]?.GetValue<string>() ?? "no reason given";
                    throw new CliException(ExitCodes.Failed, $"Image {imageId} was rejected: {reason}");
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
