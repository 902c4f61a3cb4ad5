using System.Diagnostics;
using ImageManager.Validation.Formats;
using Microsoft.Extensions.Options;

namespace ImageManager.Bench;

/// <summary>Runs the Validation service's disk image inspector in-process on a file, many times, and keeps the median.</summary>
public static class FormatInspectionBench
{
    public sealed record Result(int Runs, TimeSpan Median, long AllocatedBytes, long BytesRead);

    public static Result Measure(string path, string declaredFormat, int runs = 21)
    {
        var inspector = new DiskImageInspector(Options.Create(new FormatInspectionOptions()));
        var times = new List<TimeSpan>();
        long allocated = 0, read = 0;
        for (var run = 0; run < runs; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.RandomAccess);
            var reader = new HeaderReader(file);
            var inspection = inspector.Inspect(reader, declaredFormat);
            clock.Stop();
            if (!inspection.Acceptable)
            {
                throw new InvalidOperationException($"{path}: {string.Join("; ", inspection.Problems)}");
            }

            times.Add(clock.Elapsed);
            allocated = Math.Max(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            read = Math.Max(read, reader.BytesRead);
        }

        times.Sort();
        return new Result(runs, times[runs / 2], allocated, read);
    }
}
