using System.Text;
using System.Text.RegularExpressions;
using ImageManager.Contracts;
using ImageManager.ServiceDefaults;
using MassTransit;

namespace ImageManager.Distribution.Regions;

/// <summary>
/// The upload queues of a region (<c>upload-image-to-vims.region-{region}</c>, <c>upload-image-to-vim.region-{region}</c>),
/// consumed only by the Distribution replicas placed in it (<see cref="DistributionOptions.Region"/>). Their exchanges
/// name the central exchange as their alternate: a command for a region whose worker never started (no queue bound)
/// goes to the central queue at once. A regional queue dead-letters to the central exchange what no regional worker
/// took within <see cref="DistributionOptions.RegionalHandoverAfter"/> (none running, or the one running died holding it).
/// </summary>
public static partial class RegionalQueues
{
    const string Infix = ".region-";

    /// <summary>The header RabbitMQ puts on a dead-lettered message: the queue it first left.</summary>
    public const string FirstDeathQueueHeader = "x-first-death-queue";

    /// <summary>A region that can name a queue: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public static bool Fits(string? region) => region is not null && RegionName().IsMatch(region);

    /// <summary>The queue of <see cref="Contracts.Distributions.UploadImageToVims"/> for <paramref name="region"/>; the central one for null.</summary>
    public static string BatchQueue(string? region) => QueueName(CommandQueues.UploadImageToVims, region);

    /// <summary>The queue of <see cref="Contracts.Distributions.UploadImageToVim"/> for <paramref name="region"/>; the central one for null.</summary>
    public static string SingleQueue(string? region) => QueueName(CommandQueues.UploadImageToVim, region);

    public static Uri BatchAddress(string? region) => Address(CommandQueues.UploadImageToVims, region);

    public static Uri SingleAddress(string? region) => Address(CommandQueues.UploadImageToVim, region);

    /// <summary>The central queue a regional one hands its commands over to (its alternate and dead-letter exchange).</summary>
    public static string CentralOf(string regionalQueue) =>
        regionalQueue.IndexOf(Infix, StringComparison.Ordinal) is var at and > 0 ? regionalQueue[..at] : regionalQueue;

    /// <summary>The region whose queue this command was dead-lettered from (taken over by a central worker), or null.</summary>
    public static string? HandedOverFrom(ConsumeContext context)
    {
        if (!context.Headers.TryGetHeader(FirstDeathQueueHeader, out var value))
        {
            return null;
        }

        var queue = value switch
        {
            string text => text,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            _ => value?.ToString(),
        };
        var at = queue?.IndexOf(Infix, StringComparison.Ordinal) ?? -1;
        return at > 0 ? queue![(at + Infix.Length)..] : null;
    }

    static string QueueName(string central, string? region) => region is null ? central : $"{central}{Infix}{region}";

    static Uri Address(string central, string? region) => region is null
        ? BusAddresses.Endpoint(central)
        // The alternate exchange is part of the exchange's declaration: the regional worker declares it the same way.
        : new Uri($"exchange:{QueueName(central, region)}?alternateexchange={central}");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RegionName();
}
