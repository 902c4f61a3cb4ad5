using ImageManager.Topology;

namespace ImageManager.AppHost;

/// <summary>Writes the declaration's systemd units, environment files (0600: they hold secrets) and HAProxy configuration to a folder.</summary>
public static class InstallationFiles
{
    public static void Write(DeclaredSystem declaration, string directory, string installDirectory)
    {
        foreach (var (name, text) in SystemdUnits.Render(declaration, installDirectory))
        {
            var path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (name.EndsWith(".env", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
            {
                // Made 0600, never readable by others even for a moment.
                File.Delete(path);
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options))
            {
                writer.Write(text);
            }

            Console.WriteLine(path);
        }
    }
}
