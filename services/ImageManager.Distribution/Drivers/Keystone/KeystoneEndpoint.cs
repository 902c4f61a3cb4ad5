namespace ImageManager.Distribution.Drivers.Keystone;

/// <summary>One endpoint of a token's service catalog: which service (its type), which interface, in which region, at which URL.</summary>
public sealed record KeystoneEndpoint(string ServiceType, string Interface, string? Region, Uri Url);
