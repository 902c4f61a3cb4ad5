namespace ImageManager.Catalog.Images;

/// <summary>Holds a value a built query compares with: EF Core sends a member of a constant as a parameter, so each marker does not compile a query of its own.</summary>
public sealed class QueryValue<T>(T value)
{
    public T Value { get; } = value;
}
