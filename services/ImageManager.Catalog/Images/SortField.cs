using System.Linq.Expressions;

namespace ImageManager.Catalog.Images;

/// <summary>
/// A key the image list can be sorted on: the column as an expression (for ORDER BY and the keyset condition) and as
/// a compiled function (to read the last row's value into the next page's marker). Nullable columns sort with a
/// stand-in for null, so that every key compares as a total order.
/// </summary>
public sealed class SortField
{
    SortField(string name, LambdaExpression selector)
    {
        Name = name;
        Selector = selector;
        Read = selector.Compile();
    }

    public string Name { get; }
    public LambdaExpression Selector { get; }
    public Type Type => Selector.ReturnType;
    public Delegate Read { get; }

    public static readonly IReadOnlyDictionary<string, SortField> All = new[]
    {
        Of("createdAt", i => i.CreatedAt),
        Of("updatedAt", i => i.UpdatedAt),
        Of("name", i => i.Name),
        Of("version", i => i.Version),
        Of("kind", i => i.Kind),
        Of("status", i => i.Status),
        Of("vendor", i => i.Vendor ?? ""),
        Of("sizeBytes", i => i.SizeBytes ?? -1L),
    }.ToDictionary(field => field.Name, StringComparer.Ordinal);

    /// <summary>The last key of every order: ids are unique, so the order is total and paging stable.</summary>
    public static readonly SortField Id = Of("id", i => i.Id);

    static SortField Of<T>(string name, Expression<Func<CatalogImage, T>> selector) => new(name, selector);
}
