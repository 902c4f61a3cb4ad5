using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ImageManager.BlobStorage;

public static class BlobStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the blob store and its resumable uploads of the kind <c>BlobStore:Kind</c> names (file system by
    /// default, or S3), its options bound from <c>BlobStore</c> and validated on start. The kind is read when the
    /// store is first resolved, so settings added after this call (tests, the declared system) count.
    /// </summary>
    public static IServiceCollection AddBlobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BlobStoreOptions>()
            .Bind(configuration.GetSection(BlobStoreOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging(); // the S3 uploads warn when a lease renewal fails
        services.AddSingleton<FileSystemBlobStore>();
        services.AddSingleton<FileSystemResumableUploads>();
        services.AddSingleton<S3Bucket>();
        services.AddSingleton<S3BlobStore>();
        services.AddSingleton<S3ResumableUploads>();
        services.AddSingleton<IBlobStore>(provider => IsS3(provider)
            ? provider.GetRequiredService<S3BlobStore>()
            : provider.GetRequiredService<FileSystemBlobStore>());
        services.AddSingleton<IResumableUploads>(provider => IsS3(provider)
            ? provider.GetRequiredService<S3ResumableUploads>()
            : provider.GetRequiredService<FileSystemResumableUploads>());
        return services;
    }

    /// <summary>Sweeps expired resumable uploads (<see cref="ResumableUploadSweep"/>): for the service that takes them, the Api.</summary>
    public static IServiceCollection AddResumableUploadSweep(this IServiceCollection services)
    {
        services.AddHostedService<ResumableUploadSweep>();
        return services;
    }

    static bool IsS3(IServiceProvider provider) => provider.GetRequiredService<IOptions<BlobStoreOptions>>().Value.Kind == BlobStoreKind.S3;
}
