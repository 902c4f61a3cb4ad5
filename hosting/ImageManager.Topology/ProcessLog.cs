using System.Diagnostics;

namespace ImageManager.Topology;

/// <summary>
/// The file a started process's output goes to, line by line. Its output and error arrive on two threads, and their last
/// lines may arrive after the log was closed with the process: those are dropped.
/// </summary>
public sealed class ProcessLog(string path) : IDisposable
{
    readonly StreamWriter _writer = new(path, append: false) { AutoFlush = true };
    bool _closed;

    /// <summary>Writes <paramref name="process"/>'s output and error here (both redirected when it was started).</summary>
    public void Follow(Process process)
    {
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public void Write(string? line)
    {
        lock (_writer)
        {
            if (line is not null && !_closed)
            {
                _writer.WriteLine(line);
            }
        }
    }

    public void Dispose()
    {
        lock (_writer)
        {
            _closed = true;
            _writer.Dispose();
        }
    }
}
