using System.ComponentModel;
using System.Diagnostics;

namespace ImageManager.Validation.Tests.Archives;

/// <summary>
/// Compresses with the machine's own xz, bzip2 and zstd commands (infra/infra.sh installs them), so that the tests read
/// what packagers' tools really write, not what the library under test writes.
/// </summary>
public static class CompressionTool
{
    public static byte[] Xz(byte[] bytes, params string[] options) => Run("xz", bytes, ["-z", "-c", .. options]);

    public static byte[] Bzip2(byte[] bytes, params string[] options) => Run("bzip2", bytes, ["-z", "-c", .. options]);

    public static byte[] Zstd(byte[] bytes, params string[] options) => Run("zstd", bytes, ["-q", "-c", .. options]);

    /// <summary>The command's standard output for <paramref name="bytes"/> on its standard input.</summary>
    public static byte[] Run(string command, byte[] bytes, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception missing)
        {
            throw new InvalidOperationException($"The tests need the {command} command (infra/infra.sh installs xz-utils, bzip2 and zstd).", missing);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            var writing = Task.Run(() =>
            {
                using var input = process.StandardInput.BaseStream;
                input.Write(bytes);
            });
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            writing.GetAwaiter().GetResult();
            process.WaitForExit();
            return process.ExitCode == 0
                ? output.ToArray()
                : throw new InvalidOperationException($"{command} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {errors.GetAwaiter().GetResult()}");
        }
    }
}
