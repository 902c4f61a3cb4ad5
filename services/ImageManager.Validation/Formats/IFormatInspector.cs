namespace ImageManager.Validation.Formats;

/// <summary>Recognises one disk format by its signature and checks its header for what makes an image unsafe.</summary>
public interface IFormatInspector
{
    /// <summary>The format's name as the catalogue spells it (see <see cref="DiskFormatNames"/>).</summary>
    string Format { get; }

    /// <summary>The offset where this format's signature is, or <c>null</c> when the bytes do not carry it.</summary>
    long? FindSignature(HeaderReader image);

    /// <summary>Reads the header of an image whose signature was found; reports its virtual size and every problem.</summary>
    FormatInspection Inspect(HeaderReader image);
}
