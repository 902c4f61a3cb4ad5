namespace ImageManager.Validation.Scanning;

/// <summary>clamd could not scan: unreachable, the connection broken, no answer in time, or an <c>ERROR</c> answer.</summary>
public sealed class ClamdUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
