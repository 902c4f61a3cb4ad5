namespace ImageManager.Contracts.Vims;

/// <summary>An image that relies on a copy on a VIM, and how it came to (<c>created</c> or <c>found</c>).</summary>
public sealed record VimCopyReliance(Guid ImageId, string Origin);
