using System.Net;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Uploads;
using ImageManager.Distribution.Vims;
using ImageManager.ServiceDefaults.Access;
using ImageManager.ServiceDefaults.Sanitising;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Regions;

/// <summary>
/// A regional replica reads the image the way its edges would pull it: <c>GET {hub}/api/v1/images/{id}/file</c> with a
/// link signed like the centre's, through the region's nginx cache, so that the bytes cross the central uplink once
/// per region however many VIMs of the region it pushes to; the SHA-256 of what it read is checked against the image's
/// (<see cref="VerifiedReadStream"/>). It never needs the central blob store. Like a pull (<see cref="HubRoutes"/>), an
/// attempt reads from the centre's Api instead when the hub is unhealthy, and every attempt after one that read through
/// the hub and failed (the failure may have been the hub's); the target's <c>hub</c> or <c>hubFallback</c> says which,
/// written before the bytes flow.
/// </summary>
public sealed class HubUploadContent(HubDirectory directory, HubHealth health, IDbContextFactory<DistributionDbContext> contexts, IHttpClientFactory clients,
    IOptions<DistributionOptions> options, IOptions<InternalAccessOptions> internalAccess, TimeProvider clock, ILogger<HubUploadContent> logger) : IUploadContentSource
{
    public const string ClientName = "hub-reads";

    /// <summary>Known to the read itself: a 404 from the centre fails the target as a missing blob would.</summary>
    public Task<bool> ExistsAsync(DistributableImage image, CancellationToken cancellationToken) => Task.FromResult(true);

    public async Task<Func<Stream>> OpenerAsync(TargetDelivery delivery, Vim vim, DistributableImage image, CancellationToken cancellationToken)
    {
        var (command, attempt) = (delivery.Command, delivery.Attempt);
        var centre = options.Value.DownloadUrlOf(image.Id, SignedDownloadUrl.QueryFor(image.Id, clock.GetUtcNow() + options.Value.UploadTimeout, internalAccess.Value.ServiceToken!))
            ?? throw new VimRejectedException("Distribution:ImageDownloadBaseUrl is not set: a regional worker reads images through the Api (and its region's hub).");

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var target = db.Targets.Where(t => t.DistributionId == command.DistributionId && t.VimId == vim.Id);
        var hub = await directory.ForRegionAsync(vim.Region, cancellationToken);
        string? fallback;
        if (hub is null)
        {
            fallback = $"region '{vim.Region}' has no hub now: read from the centre";
        }
        else
        {
            fallback = attempt > 1 ? await FallbackAfterAsync(target, attempt, cancellationToken) : null;
            if (fallback is null && await health.ProblemAsync(hub, cancellationToken) is { } problem)
            {
                fallback = $"hub '{hub.Id}' was unhealthy ({problem}) at attempt {attempt}: read from the centre";
            }
        }

        fallback = OutsideText.Sanitise(fallback, HubRoutes.MaxFallbackLength);
        var through = fallback is null ? hub!.Id : null;
        await target.ExecuteUpdateAsync(s => s.SetProperty(t => t.Hub, through).SetProperty(t => t.HubFallback, fallback), cancellationToken);
        if (fallback is not null)
        {
            logger.LogInformation("VIM {VimId} of distribution {DistributionId} is pushed with bytes from the centre: {Fallback}", vim.Id, command.DistributionId, fallback);
        }

        var url = through is null ? centre : new Uri(new Uri(hub!.BaseUrl.TrimEnd('/') + "/"), centre.PathAndQuery.TrimStart('/'));
        var source = through is null ? "The centre" : $"Hub '{through}'";
        return () => Open(url, image, source);
    }

    /// <summary>Why this attempt reads from the centre: the last one read through a hub, or had already left it; null if neither.</summary>
    static async Task<string?> FallbackAfterAsync(IQueryable<Distributions.DistributionTarget> target, int attempt, CancellationToken cancellationToken)
    {
        var before = await target.Select(t => new { t.Hub, t.HubFallback }).FirstOrDefaultAsync(cancellationToken);
        return before switch
        {
            { Hub: { } hub } => $"the push read through hub '{hub}' failed (attempt {attempt - 1}): attempt {attempt} and later read from the centre",
            { HubFallback: { } earlier } => earlier,
            _ => null,
        };
    }

    /// <summary>Synchronous, as the drivers open content; the signed query is never put in a message (it is a secret).</summary>
    Stream Open(Uri url, DistributableImage image, string source)
    {
        HttpResponseMessage? response = null;
        try
        {
            response = clients.CreateClient(ClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new VimRejectedException($"{source} does not have the bytes of image {image.Id}.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new VimTransientException($"{source} answered {(int)response.StatusCode} to the read of image {image.Id}.");
            }

            var body = response.Content.ReadAsStream();
            var stream = new VerifiedReadStream(response, body, image.SizeBytes, image.Sha256, source);
            response = null;
            return stream;
        }
        catch (HttpRequestException exception)
        {
            throw new VimTransientException($"{source} could not be read ({exception.HttpRequestError}).", exception);
        }
        finally
        {
            response?.Dispose();
        }
    }
}
