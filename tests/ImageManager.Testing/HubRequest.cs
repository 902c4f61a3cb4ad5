namespace ImageManager.Testing;

/// <summary>
/// One request for an image's file as a regional hub logged it: its status, the bytes it sent, whether its cache had
/// them (nginx's HIT, MISS, ...; '-' when the request never reached the cache, e.g. a refused link), and the bytes it
/// read from the centre for it (headers included).
/// </summary>
public sealed record HubRequest(Guid ImageId, int Status, long BytesSent, string Cache, long UpstreamBytes);
