namespace ImageManager.Validation.Archives;

/// <summary>
/// CRC-32 as zip uses it (IEEE 802.3, reflected). .NET's zip reader does not compare an entry's bytes with the CRC its
/// header records, so a corrupt stored entry, or one cut to a smaller declared size, would otherwise read as fine.
/// </summary>
public sealed class Crc32
{
    const uint Polynomial = 0xEDB88320;
    static readonly uint[] Table = BuildTable();

    uint _state = uint.MaxValue;

    public uint Value => ~_state;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        var state = _state;
        foreach (var b in bytes)
        {
            state = Table[(state ^ b) & 0xff] ^ (state >> 8);
        }

        _state = state;
    }

    static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < table.Length; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? (entry >> 1) ^ Polynomial : entry >> 1;
            }

            table[i] = entry;
        }

        return table;
    }
}
