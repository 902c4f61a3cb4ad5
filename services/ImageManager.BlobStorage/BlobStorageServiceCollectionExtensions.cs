using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.BlobStorage;

public static class BlobStorageServiceCollectionExtensions
{
    /// <summary>Registers the file-system blob store and its resumable uploads, its options bound from <c>BlobStore</c> and validated on start.</summary>
    public static IServiceCollection AddBlobStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BlobStoreOptions>()
            .Bind(configuration.GetSection(BlobStoreOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<FileSystemBlobStore>();
        services.AddSingleton<IBlobStore>(provider => provider.GetRequiredService<FileSystemBlobStore>());
        services.AddSingleton<IResumableUploads, FileSystemResumableUploads>();
        return services;
    }
}
