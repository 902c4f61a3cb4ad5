using ImageManager.Topology;

namespace ImageManager.AppHost;

/// <summary>
/// Writes the declaration's systemd units, environment files (0600: they hold secrets) and HAProxy configuration to a
/// folder, and the installation's key ring certificate beside the environment files, where they point at it.
/// </summary>
public static class InstallationFiles
{
    public static void Write(TopologyOptions options, string directory, string installDirectory)
    {
        // On every machine the certificate sits with the environment files: the services read it from there.
        var certificate = options.KeyRingCertificate;
        var declaration = SystemDeclaration.Declare(certificate is null
            ? options
            : options with { KeyRingCertificate = $"{SystemdUnits.EnvironmentDirectory}/{KeyRingCertificateFile.FileName}" });
        var files = SystemdUnits.Render(declaration, installDirectory).ToDictionary(file => file.Key, file => (Text: file.Value, Bytes: (byte[]?)null));
        if (certificate is not null)
        {
            files[$"env/{KeyRingCertificateFile.FileName}"] = ("", File.ReadAllBytes(certificate));
        }

        foreach (var (name, (text, bytes)) in files.OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (name.StartsWith("env/", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
            {
                // Made 0600, never readable by others even for a moment.
                File.Delete(path);
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, fileOptions))
            {
                if (bytes is not null)
                {
                    stream.Write(bytes);
                }
                else
                {
                    using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                    writer.Write(text);
                }
            }

            Console.WriteLine(path);
        }
    }
}
