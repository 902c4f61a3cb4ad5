namespace ImageManager.Distribution.Drivers;

/// <summary>The VIM could not do it now (unreachable, 5xx, 429, timeout); a later attempt may succeed.</summary>
public sealed class VimTransientException(string message, Exception? inner = null) : Exception(message, inner);
