namespace ImageManager.Oci;

/// <summary>The files a container image archive's layouts name: OCI's marker, index and content-addressed blobs, and docker save's manifest.</summary>
public static class ContainerArchivePaths
{
    public const string OciLayout = "oci-layout";
    public const string OciIndex = "index.json";
    public const string DockerSaveManifest = "manifest.json";
    public const string BlobFolder = "blobs/";

    const string Sha256BlobFolder = "blobs/sha256/";

    /// <summary>Where an OCI image layout keeps the blob of a sha256 digest's hex part.</summary>
    public static string Blob(string hex) => Sha256BlobFolder + hex;

    /// <summary>Whether the file is a sha256 blob (<c>blobs/sha256/&lt;64 hex digits&gt;</c>), and its hex part: what its bytes must hash to.</summary>
    public static bool TryParseBlob(string name, out string hex)
    {
        hex = name.StartsWith(Sha256BlobFolder, StringComparison.Ordinal) ? name[Sha256BlobFolder.Length..] : "";
        return Sha256Digest.IsHex(hex);
    }
}
