using ImageManager.Distribution.Persistence;

namespace ImageManager.Distribution.Vims;

/// <summary>A VIM as the API shows it. Credentials, once they exist, are never part of it.</summary>
public sealed record VimResource(string Id, string Type, Uri Endpoint, string? Region, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static VimResource From(Vim vim) => new(vim.Id, vim.Type, vim.Endpoint, vim.Region, vim.Tags, vim.CreatedAt, vim.UpdatedAt);
}
