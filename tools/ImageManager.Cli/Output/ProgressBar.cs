using System.Globalization;

namespace ImageManager.Cli.Output;

/// <summary>
/// Progress on stderr: a bar redrawn in place on a terminal; on a pipe or a file, a line at every tenth of the way
/// (and at the end), so logs show progress without thousands of lines.
/// </summary>
public sealed class ProgressBar(string label, bool quiet)
{
    const int Width = 30;
    readonly bool _terminal = !Console.IsErrorRedirected;
    int _lastTenth = -1;
    string _lastLine = "";

    /// <summary>Shows <paramref name="done"/> of <paramref name="total"/> with <paramref name="detail"/> after it.</summary>
    public void Report(long done, long total, string detail)
    {
        if (quiet)
        {
            return;
        }

        var fraction = total <= 0 ? 1.0 : Math.Clamp((double)done / total, 0, 1);
        var percent = (fraction * 100).ToString("0", CultureInfo.InvariantCulture).PadLeft(3);
        if (_terminal)
        {
            var filled = (int)(fraction * Width);
            var line = $"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {percent}% {detail}";
            if (line != _lastLine)
            {
                Console.Error.Write(line.PadRight(Math.Max(line.Length, _lastLine.Length)));
                _lastLine = line;
            }

            return;
        }

        var tenth = (int)(fraction * 10);
        if (tenth != _lastTenth)
        {
            _lastTenth = tenth;
            Console.Error.WriteLine($"{label} {percent}% {detail}");
        }
    }

    /// <summary>Ends the bar's line on a terminal.</summary>
    public void Finish()
    {
        if (!quiet && _terminal && _lastLine.Length > 0)
        {
            Console.Error.WriteLine();
            _lastLine = "";
        }
    }
}
