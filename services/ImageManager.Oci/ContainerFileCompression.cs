namespace ImageManager.Oci;

/// <summary>How a file of a container image archive is compressed, as its first bytes tell: a layer may be either, or a plain tar.</summary>
public enum ContainerFileCompression
{
    None,
    Gzip,
    Zstandard,
}
