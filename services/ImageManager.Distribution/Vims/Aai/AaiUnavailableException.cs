namespace ImageManager.Distribution.Vims.Aai;

/// <summary>A&amp;AI could not be read: unreachable, refusing Image Manager's credentials, or answering something else than its cloud regions.</summary>
public sealed class AaiUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
