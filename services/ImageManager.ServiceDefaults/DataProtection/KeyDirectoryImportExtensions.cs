using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageManager.ServiceDefaults.DataProtection;

public static class KeyDirectoryImportExtensions
{
    /// <summary>
    /// Puts <see cref="KeyDirectoryImport"/> in front of the key store configured before (e.g. <c>PersistKeysToDbContext</c>),
    /// so that keys left in <paramref name="directory"/> by an earlier version are imported into it.
    /// </summary>
    public static IDataProtectionBuilder ImportKeysFrom(this IDataProtectionBuilder builder, DirectoryInfo directory)
    {
        builder.Services.AddOptions<KeyManagementOptions>().PostConfigure<ILoggerFactory>((options, logs) =>
            options.XmlRepository = new KeyDirectoryImport(
                options.XmlRepository ?? throw new InvalidOperationException("Configure the key store before importing keys into it."),
                directory,
                logs.CreateLogger<KeyDirectoryImport>()));
        return builder;
    }
}
