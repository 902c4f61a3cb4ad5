namespace ImageManager.Distribution.Drivers;

/// <summary>The VIM refused, or proved the bytes wrong; trying again will not help.</summary>
public sealed class VimRejectedException(string message) : Exception(message);
