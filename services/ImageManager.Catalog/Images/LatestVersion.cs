namespace ImageManager.Catalog.Images;

/// <summary>
/// Which of an image's versions is <c>latest</c>: when every candidate's version parses as a semantic version, the
/// highest one; otherwise the one uploaded last (an ordering half of the versions cannot take part in would be a guess).
/// </summary>
public static class LatestVersion
{
    public static Guid? Choose(IReadOnlyList<(Guid Id, string Version, DateTimeOffset CreatedAt)> candidates)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        var parsed = candidates.Select(c => (c.Id, c.CreatedAt, Semantic: SemanticVersion.TryParse(c.Version))).ToList();
        return parsed.All(c => c.Semantic is not null)
            ? parsed.OrderByDescending(c => c.Semantic).ThenByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).First().Id
            : candidates.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).First().Id;
    }
}
