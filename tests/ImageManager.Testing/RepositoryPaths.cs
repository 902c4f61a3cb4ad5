using ImageManager.Topology;

namespace ImageManager.Testing;

/// <summary>Where things are in the checkout the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root => ServiceBuilds.Root;

    public static string TestOutput { get; } = Directory.CreateDirectory(Path.Combine(Root, ".local", "test-output")).FullName;
}
