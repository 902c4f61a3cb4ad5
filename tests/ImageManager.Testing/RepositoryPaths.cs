namespace ImageManager.Testing;

/// <summary>Where things are in the checkout the tests run from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string TestOutput { get; } = Directory.CreateDirectory(Path.Combine(Root, ".local", "test-output")).FullName;

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ImageManager.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run inside the Image Manager checkout; ImageManager.sln was not found above " + AppContext.BaseDirectory);
    }
}
