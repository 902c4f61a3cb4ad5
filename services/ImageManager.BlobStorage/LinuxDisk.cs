using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ImageManager.BlobStorage;

/// <summary>
/// The two things about durability .NET does not offer, from libc (elsewhere than Linux they do nothing):
/// flushing a directory, since a file's own fsync does not cover the directory entry a rename made, and starting the
/// writeback of freshly written bytes, so that the fsync at the end of a multi-GiB upload finds little left to write.
/// </summary>
static partial class LinuxDisk
{
    const int ReadOnly = 0;
    const uint SyncFileRangeWrite = 2;

    /// <summary>fsync of a directory (which opens read-only like a file).</summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open the directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush the directory '{directory}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>
    /// Asks the kernel to start writing a range of the file to disk, without waiting for it. Only a hint: the fsync
    /// that follows is what guarantees durability, so a failure here is ignored.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var added = false;
        file.DangerousAddRef(ref added);
        try
        {
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, count, SyncFileRangeWrite);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(int descriptor, long offset, long count, uint flags);
}
