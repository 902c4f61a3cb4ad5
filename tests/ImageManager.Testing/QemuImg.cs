using System.Diagnostics;
using System.Text.Json;

namespace ImageManager.Testing;

/// <summary>qemu-img, from the Debian package qemu-utils: makes the real images, good and malicious, that the format tests inspect.</summary>
public static class QemuImg
{
    const string DebianPath = "/usr/bin/qemu-img";
    static readonly TimeSpan Bound = TimeSpan.FromMinutes(2); // a bound on a hung process, not a measurement
    static readonly Lazy<string> Executable = new(Find);

    /// <summary>Runs qemu-img in <paramref name="folder"/>, so that the file names it records inside images are relative.</summary>
    public static string Run(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Bound))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"qemu-img {string.Join(' ', arguments)} did not finish within {Bound}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"qemu-img {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
        }

        return output.Result;
    }

    /// <summary>The virtual size qemu itself reads from an image, opened as <paramref name="qemuFormat"/>.</summary>
    public static long VirtualSize(string path, string qemuFormat)
    {
        var info = Run(Path.GetDirectoryName(path)!, "info", "--output=json", "-f", qemuFormat, path);
        using var json = JsonDocument.Parse(info);
        return json.RootElement.GetProperty("virtual-size").GetInt64();
    }

    static string Find()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "qemu-img"));
        return new[] { DebianPath }.Concat(onPath).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"qemu-img was not found (looked at {DebianPath} and on PATH). The format tests make real disk images with it: " +
                "install the Debian package qemu-utils (`infra/infra.sh start` installs it).");
    }
}
