namespace ImageManager.VimSimulator;

/// <summary>A manifest or index a simulated registry holds, byte for byte.</summary>
public sealed record SimulatedManifest(string Digest, string MediaType, byte[] Content);
