using System.Security.Cryptography;

namespace ImageManager.Bench;

/// <summary>A file of incompressible bytes on the same disk as the blob store.</summary>
public static class TestFile
{
    public static async Task<string> CreateAsync(string folder, string name, long size)
    {
        var path = Path.Combine(folder, name);
        if (File.Exists(path) && new FileInfo(path).Length == size)
        {
            return path;
        }

        // 64 MiB of random bytes, each copy made distinct by its first bytes, so no two files share a digest.
        var block = RandomNumberGenerator.GetBytes(64 * 1024 * 1024);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        for (long written = 0, index = 0; written < size; index++)
        {
            BitConverter.TryWriteBytes(block, index);
            var count = (int)Math.Min(block.Length, size - written);
            await file.WriteAsync(block.AsMemory(0, count));
            written += count;
        }

        return path;
    }
}
