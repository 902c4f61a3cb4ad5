using System.Security.Cryptography;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Testing;
using ImageManager.Validation.Archives;
using ImageManager.Validation.Checks;
using ImageManager.Validation.Containers;
using ImageManager.Validation.Formats;
using ImageManager.Validation.Packages;
using ImageManager.Validation.Scanning;
using ImageManager.Validation.Signatures;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests;

/// <summary>
/// The Validation consumer on MassTransit's in-memory test harness, over a blob store in a temporary folder; uploads are
/// scanned by the local clamd unless <c>scanning</c> says otherwise, clamd unavailable retried as the service's consumer
/// definition says (<see cref="ScanningOptions.UnavailableRetries"/>).
/// </summary>
public sealed class ValidationHarness : IAsyncDisposable
{
    readonly ServiceProvider _provider;
    readonly string _root = Directory.CreateTempSubdirectory("imagemanager-validation-").FullName;

    public ValidationHarness(SignatureOptions? signatures = null, ScanningOptions? scanning = null, OcspOptions? ocsp = null)
    {
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IBlobStore>(new FileSystemBlobStore(Options.Create(new BlobStoreOptions { Root = _root })))
            .AddSingleton(Options.Create(new FormatInspectionOptions()))
            .AddSingleton<DiskImageInspector>()
            .AddSingleton<ChecksumCheck>()
            .AddSingleton(Options.Create(scanning ?? new ScanningOptions { Clamd = Infrastructure.Clamd }))
            .AddSingleton<ClamdClient>()
            .AddSingleton<MalwareCheck>()
            .AddSingleton<FormatCheck>()
            .AddSingleton(Options.Create(signatures ?? new SignatureOptions { TrustStore = TestAuthority.Shared.TrustStore }))
            .AddSingleton(Options.Create(ocsp ?? new OcspOptions()))
            .AddSingleton<OcspResponderClient>()
            .AddSingleton<TrustStore>()
            .AddSingleton<CertificateTrust>()
            .AddSingleton<SignaturePolicy>()
            .AddSingleton<SignatureVerifier>()
            .AddSingleton<SignatureCheck>()
            .AddSingleton(Options.Create(new ArchiveSafetyOptions()))
            .AddSingleton<ArchiveReader>()
            .AddSingleton<DebPackageInspector>()
            .AddSingleton<RpmPackageInspector>()
            .AddSingleton<PackageInspector>()
            .AddSingleton<CsarImageExtractor>()
            .AddSingleton<CsarSignatureVerifier>()
            .AddSingleton<PackageCheck>()
            .AddSingleton<ContainerImageInspector>()
            .AddSingleton<ContainerImageCheck>()
            .AddLogging()
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<ImageUploadedConsumer, ImageUploadedConsumerDefinition>();

                // The harness gives up on a verdict after this long without bus activity, for good. Its 1.2 s default is
                // shorter than a test's own preparation (keys, archives) takes on two busy cores, which made tests flaky.
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(5));
            })
            .BuildServiceProvider(true);
        Harness = _provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }
    public IBlobStore Blobs => _provider.GetRequiredService<IBlobStore>();
    public string Root => _root;

    /// <summary>Stores <paramref name="bytes"/> as a raw VM image and returns the event the Api would publish.</summary>
    public Task<ImageUploaded> StoreAsync(byte[] bytes, string? declaredSha256 = null, string? declaredSha512 = null) =>
        StoreAsync(new MemoryStream(bytes), "vm-image", "raw", declaredSha256, declaredSha512);

    /// <summary>Stores a file, declared as <paramref name="kind"/> and <paramref name="diskFormat"/>.</summary>
    public async Task<ImageUploaded> StoreFileAsync(string path, string? diskFormat, string kind = "vm-image", string? declaredSha256 = null)
    {
        await using var file = File.OpenRead(path);
        return await StoreAsync(file, kind, diskFormat, declaredSha256, declaredSha512: null);
    }

    /// <summary>Stores a file as a software package (which declares neither disk nor container format).</summary>
    public async Task<ImageUploaded> StorePackageAsync(string path, string? declaredSha256 = null)
    {
        await using var file = File.OpenRead(path);
        return await StoreAsync(file, "software-package", diskFormat: null, declaredSha256, declaredSha512: null, containerFormat: null);
    }

    /// <summary>Stores a file as a container image declared as <paramref name="containerFormat"/> (docker or oci).</summary>
    public async Task<ImageUploaded> StoreContainerImageAsync(string path, string containerFormat)
    {
        await using var file = File.OpenRead(path);
        return await StoreAsync(file, "container-image", diskFormat: null, declaredSha256: null, declaredSha512: null, containerFormat);
    }

    /// <summary>The one verdict of type <typeparamref name="T"/> published for an image; fails when there is none.</summary>
    public async Task<T> SingleVerdict<T>(Guid imageId)
        where T : class
    {
        Assert.True(await Harness.Published.Any<T>(x => IsFor(x.Context.Message, imageId)), $"no {typeof(T).Name} was published");

        // A cancelled token lists what was published so far, instead of waiting for the bus to fall quiet.
        return Assert.Single(Harness.Published.Select<T>(x => IsFor(x.Context.Message, imageId), new CancellationToken(canceled: true))).Context.Message;
    }

    async Task<ImageUploaded> StoreAsync(
        Stream content, string kind, string? diskFormat, string? declaredSha256, string? declaredSha512, string? containerFormat = "bare")
    {
        var blob = await Blobs.PutAsync(content, CancellationToken.None);
        return new ImageUploaded
        {
            ImageId = Guid.NewGuid(),
            Name = "test",
            Version = "1",
            Kind = kind,
            DiskFormat = diskFormat,
            ContainerFormat = containerFormat,
            SizeBytes = blob.Length,
            Sha256 = blob.Sha256,
            Sha512 = blob.Sha512,
            DeclaredSha256 = declaredSha256,
            DeclaredSha512 = declaredSha512,
            UploadedAt = DateTimeOffset.UtcNow,
        };
    }

    static bool IsFor(object message, Guid imageId) => message switch
    {
        ImageValidated validated => validated.ImageId == imageId,
        ImageRejected rejected => rejected.ImageId == imageId,
        _ => false,
    };

    public static byte[] RandomBytes(int size) => RandomNumberGenerator.GetBytes(size);

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
