namespace ImageManager.Oci;

/// <summary>The <c>oci-layout</c> file that marks an OCI image layout.</summary>
public sealed record OciLayoutFile(string? ImageLayoutVersion);
