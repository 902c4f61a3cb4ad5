using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;

namespace ImageManager.ServiceDefaults.DataProtection;

/// <summary>
/// The key ring's store (the service's database, shared by its replicas) that first takes in the keys of the key directory
/// used before: an installation upgraded from keys on the file system still decrypts what they encrypted. Imported once
/// per process, before the ring is first read; a key already stored (same id) is not stored again, so every start and every
/// replica may import. The directory is left as it is and read no more once its keys are in the store.
/// </summary>
public sealed class KeyDirectoryImport(IXmlRepository store, DirectoryInfo directory, ILogger<KeyDirectoryImport> logger) : IXmlRepository
{
    readonly Lazy<int> _imported = new(() => Import(store, directory, logger), LazyThreadSafetyMode.ExecutionAndPublication);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        _ = _imported.Value;
        return store.GetAllElements();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        _ = _imported.Value;
        store.StoreElement(element, friendlyName);
    }

    /// <summary>Imports the directory's keys missing from the store; returns how many.</summary>
    public static int Import(IXmlRepository store, DirectoryInfo directory, ILogger logger)
    {
        directory.Refresh();
        if (!directory.Exists)
        {
            return 0;
        }

        var stored = store.GetAllElements().Select(Identity).ToHashSet(StringComparer.Ordinal);
        var imported = 0;
        foreach (var file in directory.EnumerateFiles("*.xml").OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var element = XElement.Load(file.FullName);
            if (!stored.Add(Identity(element)))
            {
                continue;
            }

            try
            {
                store.StoreElement(element, Path.GetFileNameWithoutExtension(file.Name));
                imported++;
            }
            catch (Exception exception) when (store.GetAllElements().Any(e => Identity(e) == Identity(element)))
            {
                // Another replica imported it at the same moment (the store refuses a second copy of a name).
                logger.LogDebug(exception, "Key file {File} was imported by another replica meanwhile.", file.Name);
            }
        }

        if (imported > 0)
        {
            logger.LogWarning("Imported {Count} Data Protection key(s) from {Directory} into the database; that directory is no longer needed once every replica runs this version.", imported, directory.FullName);
        }

        return imported;
    }

    /// <summary>A key by its id; anything else (a revocation) by its whole text.</summary>
    static string Identity(XElement element) =>
        element.Attribute("id")?.Value is { } id ? $"{element.Name.LocalName}:{id}" : element.ToString(SaveOptions.DisableFormatting);
}
