namespace ImageManager.ServiceDefaults.Outbound;

/// <summary>A connection <see cref="OutboundAddresses"/> refused: the host is only at addresses this installation may not reach.</summary>
public sealed class RefusedAddressException(string message) : HttpRequestException(message);
