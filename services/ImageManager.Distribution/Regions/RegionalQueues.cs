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

    /// <summary>
    /// The region whose queue this command was sent to, when a central worker consumes it: taken over, through the
    /// alternate exchange (no worker of the region ever bound its queue) or by dead-lettering (none took it in time).
    /// Null for a command sent to the central queue, and in a regional worker.
    /// </summary>
    public static string? HandedOverFrom(ConsumeContext context) =>
        RegionOf(context.ReceiveContext.InputAddress) is null ? RegionOf(context.DestinationAddress) : null;

    /// <summary>Whether the command left a regional queue by its TTL (RabbitMQ's dead-letter header is on it).</summary>
    public static bool DeadLettered(ConsumeContext context) => context.ReceiveContext.TransportHeaders.TryGetHeader(FirstDeathQueueHeader, out _);

    /// <summary>The region of a regional queue's address (its last path segment), or null.</summary>
    public static string? RegionOf(Uri? address)
    {
        var name = address is null ? null : Uri.UnescapeDataString(address.AbsolutePath.TrimEnd('/')).Split('/')[^1];
        var at = name?.IndexOf(Infix, StringComparison.Ordinal) ?? -1;
        return at > 0 && Fits(name![(at + Infix.Length)..]) ? name[(at + Infix.Length)..] : null;
    }

    static string QueueName(string central, string? region) => region is null ? central : $"{central}{Infix}{region}";

    static Uri Address(string central, string? region) => region is null
        ? BusAddresses.Endpoint(central)
        // The alternate exchange is part of the exchange's declaration: the regional worker declares it the same way.
        : new Uri($"exchange:{QueueName(central, region)}?alternateexchange={central}");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex RegionName();
}
