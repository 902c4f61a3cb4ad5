using System.Security.Cryptography;
using ImageManager.BlobStorage;
using ImageManager.Contracts.Images;
using ImageManager.Validation.Checks;
using ImageManager.Validation.Consumers;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests;

/// <summary>The Validation consumer on MassTransit's in-memory test harness, over a blob store in a temporary folder.</summary>
public sealed class ValidationHarness : IAsyncDisposable
{
    readonly ServiceProvider _provider;
    readonly string _root = Directory.CreateTempSubdirectory("imagemanager-validation-").FullName;

    public ValidationHarness()
    {
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IBlobStore>(new FileSystemBlobStore(Options.Create(new BlobStoreOptions { Root = _root })))
            .AddSingleton<ChecksumCheck>()
            .AddMassTransitTestHarness(x => x.AddConsumer<ImageUploadedConsumer>())
            .BuildServiceProvider(true);
        Harness = _provider.GetRequiredService<ITestHarness>();
    }

    public ITestHarness Harness { get; }
    public IBlobStore Blobs => _provider.GetRequiredService<IBlobStore>();
    public string Root => _root;

    public async Task<ImageUploaded> StoreAsync(byte[] bytes, string? declaredSha256 = null, string? declaredSha512 = null)
    {
        var blob = await Blobs.PutAsync(new MemoryStream(bytes), CancellationToken.None);
        return new ImageUploaded
        {
            ImageId = Guid.NewGuid(),
            Name = "test",
            Version = "1",
            Kind = "vm-image",
            DiskFormat = "raw",
            ContainerFormat = "bare",
            SizeBytes = blob.Length,
            Sha256 = blob.Sha256,
            Sha512 = blob.Sha512,
            DeclaredSha256 = declaredSha256,
            DeclaredSha512 = declaredSha512,
            UploadedAt = DateTimeOffset.UtcNow,
        };
    }

    public static byte[] RandomBytes(int size) => RandomNumberGenerator.GetBytes(size);

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
