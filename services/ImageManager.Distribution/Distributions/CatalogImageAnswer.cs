namespace ImageManager.Distribution.Distributions;

/// <summary>The Catalog's answer about one image: the image, or its status code and the problem's detail.</summary>
public sealed record CatalogImageAnswer(int StatusCode, CatalogImage? Image, string? Detail);
