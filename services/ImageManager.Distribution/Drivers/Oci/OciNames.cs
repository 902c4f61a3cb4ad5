using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ImageManager.Oci;

namespace ImageManager.Distribution.Drivers.Oci;

/// <summary>
/// Repository names and tags from catalogue names and versions, made to fit the distribution spec's grammar, and the
/// <c>repository@sha256:…</c> ids the driver records.
/// </summary>
public static partial class OciNames
{
    /// <summary>A VIM image id is at most 255 characters; the digest and '@' take 72 of them.</summary>
    public const int MaxRepositoryLength = 180;

    /// <summary>
    /// The image name lower-cased, each path component reduced to the grammar
    /// <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*</c>, under the tenant as a namespace when there is one.
    /// </summary>
    public static string Repository(string imageName, string? tenant)
    {
        var name = Components(imageName);
        var repository = string.Join('/', [.. tenant is null ? [] : Components(tenant), .. name.Count > 0 ? name : ["image"]]);
        if (repository.Length <= MaxRepositoryLength)
        {
            return repository;
        }

        // Too long: keep a readable head and tell apart names that share it by a hash of the whole.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repository)))[..12];
        var head = repository[..(MaxRepositoryLength - hash.Length - 1)].TrimEnd('/', '.', '_', '-');
        return $"{head}-{hash}";
    }

    /// <summary>The version as a tag: <c>[A-Za-z0-9_][A-Za-z0-9._-]{0,127}</c>; other characters become '_'.</summary>
    public static string Tag(string version)
    {
        var tag = new StringBuilder(version.Length + 1);
        foreach (var c in version)
        {
            tag.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        if (tag.Length == 0 || tag[0] is '.' or '-')
        {
            tag.Insert(0, '_');
        }

        return tag.Length > 128 ? tag.ToString(0, 128) : tag.ToString();
    }

    /// <summary>Splits <c>repository@sha256:…</c>; null when the id is not one.</summary>
    public static (string Repository, string Digest)? ParseImageId(string vimImageId)
    {
        var at = vimImageId.LastIndexOf('@');
        if (at <= 0 || !RepositoryGrammar().IsMatch(vimImageId[..at]) || !Sha256Digest.IsDigest(vimImageId[(at + 1)..]))
        {
            return null;
        }

        return (vimImageId[..at], vimImageId[(at + 1)..]);
    }

    public static string ImageId(string repository, string digest) => $"{repository}@{digest}";

    public static bool IsRepository(string value) => RepositoryGrammar().IsMatch(value);

    public static bool IsTag(string value) => TagGrammar().IsMatch(value);

    static List<string> Components(string name) =>
        [.. name.ToLowerInvariant().Split('/').Select(Component).Where(component => component.Length > 0)];

    /// <summary>Characters outside <c>[a-z0-9._-]</c> become '-'; a run of separators that the grammar does not allow becomes one '-'.</summary>
    static string Component(string text)
    {
        var mapped = new string([.. text.Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-' ? c : '-')]);
        var fixedSeparators = SeparatorRun().Replace(mapped, run => run.Value is "." or "_" or "__" || run.Value.All(c => c == '-') ? run.Value : "-");
        return fixedSeparators.Trim('.', '_', '-');
    }

    [GeneratedRegex("[._-]+")]
    private static partial Regex SeparatorRun();

    [GeneratedRegex("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryGrammar();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagGrammar();
}
