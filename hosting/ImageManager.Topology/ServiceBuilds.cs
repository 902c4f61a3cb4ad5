namespace ImageManager.Topology;

/// <summary>Where the checkout is, and the services' build outputs in it, seen from the program that starts them.</summary>
public static class ServiceBuilds
{
    /// <summary>The checkout's root: the folder holding <c>ImageManager.sln</c>, above this program's own build output.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Path of a service's built assembly, in the configuration the starting program was built in.</summary>
    public static string AssemblyOf(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        var path = Path.Combine(Root, "services", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built ({path}).");
    }

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ImageManager.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Image Manager runs inside its checkout; ImageManager.sln was not found above " + AppContext.BaseDirectory);
    }
}
