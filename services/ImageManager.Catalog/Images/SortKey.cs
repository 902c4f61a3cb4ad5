namespace ImageManager.Catalog.Images;

/// <summary>One key of a requested order, e.g. <c>name:asc</c>.</summary>
public sealed record SortKey(SortField Field, bool Descending)
{
    public override string ToString() => $"{Field.Name}:{(Descending ? "desc" : "asc")}";
}
