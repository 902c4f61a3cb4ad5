using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ImageManager.BlobStorage;

/// <summary>
/// Memory whose address is a multiple of 4 KiB, as direct I/O needs: a pinned array (it never moves) sliced at its
/// first aligned byte.
/// </summary>
sealed class AlignedBuffer
{
    readonly byte[] _array;

    public AlignedBuffer(int size)
    {
        _array = GC.AllocateUninitializedArray<byte>(size + DirectWriteStream.Alignment, pinned: true);
        var misalignment = (int)(Address(_array) % DirectWriteStream.Alignment);
        Memory = _array.AsMemory(misalignment == 0 ? 0 : DirectWriteStream.Alignment - misalignment, size);
    }

    public Memory<byte> Memory { get; }

    public static bool IsAligned(ReadOnlyMemory<byte> memory)
    {
        using var pin = memory.Pin();
        unsafe
        {
            return (nuint)pin.Pointer % DirectWriteStream.Alignment == 0;
        }
    }

    static unsafe nuint Address(byte[] array) => (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
}
