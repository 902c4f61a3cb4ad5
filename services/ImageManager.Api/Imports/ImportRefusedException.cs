namespace ImageManager.Api.Imports;

/// <summary>An import that cannot succeed as asked: a source not allowed, an error answer, too large, too many redirects.</summary>
public sealed class ImportRefusedException(string message) : Exception(message);
