using System.Buffers.Binary;
using System.Text;
using ImageManager.Testing;

namespace ImageManager.Validation.Tests.Formats;

/// <summary>
/// Real disk images made with qemu-img in a temporary folder, once per test class: one valid image of every format,
/// converted from the same 64 MiB raw disk, and the unsafe ones, made the way an attacker would make them.
/// </summary>
public sealed class ImageCorpus : IDisposable
{
    public const long DiskSize = 64L << 20;
    public const int IsoBlocks = 64;

    // Valid images.
    public const string Raw = "disk.raw";
    public const string Qcow2V3 = "v3.qcow2";
    public const string Qcow2V2 = "v2.qcow2";
    public const string MonolithicSparseVmdk = "monolithic-sparse.vmdk";
    public const string StreamOptimizedVmdk = "stream-optimized.vmdk";
    public const string DynamicVhd = "dynamic.vhd";
    public const string FixedVhd = "fixed.vhd";
    public const string Vhdx = "disk.vhdx";
    public const string Vdi = "disk.vdi";
    public const string Iso = "disk.iso";
    public const string SparseQcow2 = "sparse-10g.qcow2";

    // Unsafe images.
    public const string BackingFileQcow2 = "backing-file.qcow2";
    public const string DataFileQcow2 = "data-file.qcow2";
    public const string JsonBackingQcow2 = "json-backing.qcow2";
    public const string UnknownFeatureQcow2 = "unknown-feature.qcow2";
    public const string TruncatedQcow2 = "truncated.qcow2";
    public const string HugeQcow2 = "huge-100t.qcow2";
    public const string MonolithicFlatVmdk = "monolithic-flat.vmdk";
    public const string TwoGbMaxExtentSparseVmdk = "two-gb-max-extent-sparse.vmdk";
    public const string ForeignExtentVmdk = "foreign-extent.vmdk";
    public const string DifferencingVhd = "differencing.vhd";
    public const string Qcow2InSystemAreaIso = "qcow2-in-system-area.iso";

    public const string ForeignExtentLine = "RDONLY 2048 FLAT \"/etc/passwd\" 0\n";
    public const string JsonBackingFile = """json:{"file.driver":"file","file.filename":"/etc/passwd"}""";

    public ImageCorpus()
    {
        Folder = Directory.CreateTempSubdirectory("imagemanager-formats-").FullName;
        MakeValidImages();
        MakeUnsafeImages();
    }

    public string Folder { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>The virtual size qemu reads from a corpus image declared as <paramref name="format"/>.</summary>
    public long QemuVirtualSize(string name, string format) =>
        QemuImg.VirtualSize(PathOf(name), format switch { "vhd" => "vpc", "iso" => "raw", _ => format });

    void MakeValidImages()
    {
        QemuImg.Run(Folder, "create", "-q", "-f", "raw", Raw, $"{DiskSize}");
        // Data at the start and in the middle, so the converted images hold allocated clusters, not only metadata.
        using (var disk = new FileStream(PathOf(Raw), FileMode.Open, FileAccess.Write))
        {
            var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("image manager format test data. ", 32 * 1024)));
            disk.Write(data);
            disk.Position = DiskSize / 2;
            disk.Write(data);
        }

        Convert(Qcow2V3, "qcow2", "compat=1.1");
        Convert(Qcow2V2, "qcow2", "compat=0.10");
        Convert(MonolithicSparseVmdk, "vmdk", "subformat=monolithicSparse");
        Convert(StreamOptimizedVmdk, "vmdk", "subformat=streamOptimized");
        Convert(DynamicVhd, "vpc", "subformat=dynamic");
        Convert(FixedVhd, "vpc", "subformat=fixed");
        Convert(Vhdx, "vhdx", null);
        Convert(Vdi, "vdi", null);
        IsoImage.Write(PathOf(Iso), IsoBlocks);
        QemuImg.Run(Folder, "create", "-q", "-f", "qcow2", SparseQcow2, "10G");
    }

    void MakeUnsafeImages()
    {
        QemuImg.Run(Folder, "create", "-q", "-f", "qcow2", "base.qcow2", "64M");
        QemuImg.Run(Folder, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", BackingFileQcow2);
        QemuImg.Run(Folder, "create", "-q", "-f", "qcow2", "-o", "data_file=data-file.raw", DataFileQcow2, "64M");
        QemuImg.Run(Folder, "create", "-q", "-f", "qcow2", "-u", "-b", JsonBackingFile, "-F", "raw", JsonBackingQcow2, "64M");
        QemuImg.Run(Folder, "create", "-q", "-f", "qcow2", HugeQcow2, "100T");
        QemuImg.Run(Folder, "create", "-q", "-f", "vmdk", "-o", "subformat=monolithicFlat", MonolithicFlatVmdk, "1M");
        QemuImg.Run(Folder, "create", "-q", "-f", "vmdk", "-o", "subformat=twoGbMaxExtentSparse", TwoGbMaxExtentSparseVmdk, "1M");

        File.WriteAllBytes(PathOf(TruncatedQcow2), File.ReadAllBytes(PathOf(Qcow2V3))[..20]);

        // Incompatible feature bit 5, which no qcow2 version defines yet.
        Patch(Qcow2V3, UnknownFeatureQcow2, bytes => bytes[72 + 7] |= 1 << 5);

        // Disk type 4 (differencing) in both copies of the footer.
        Patch(DynamicVhd, DifferencingVhd, bytes =>
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(60), 4);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(bytes.Length - 512 + 60), 4);
        });

        // A second extent line in the embedded descriptor, naming a file on the host.
        Patch(MonolithicSparseVmdk, ForeignExtentVmdk, bytes =>
        {
            var span = bytes.AsSpan();
            var lineEnd = span.IndexOf("SPARSE \""u8) is var at and >= 0 ? at + span[at..].IndexOf((byte)'\n') + 1 : throw new InvalidOperationException("no extent line");
            var textEnd = lineEnd + span[lineEnd..].IndexOf((byte)0);
            var extra = Encoding.ASCII.GetBytes(ForeignExtentLine);
            span[lineEnd..textEnd].CopyTo(span[(lineEnd + extra.Length)..]);
            extra.CopyTo(span[lineEnd..]);
        });

        // An ISO whose system area starts with a qcow2 header naming a backing file.
        IsoImage.Write(PathOf(Qcow2InSystemAreaIso), IsoBlocks);
        using (var iso = new FileStream(PathOf(Qcow2InSystemAreaIso), FileMode.Open, FileAccess.Write))
        {
            iso.Write(File.ReadAllBytes(PathOf(JsonBackingQcow2)).AsSpan(0, 4096));
        }
    }

    void Convert(string name, string qemuFormat, string? options)
    {
        string[] arguments = options is null
            ? ["convert", "-q", "-f", "raw", "-O", qemuFormat, Raw, name]
            : ["convert", "-q", "-f", "raw", "-O", qemuFormat, "-o", options, Raw, name];
        QemuImg.Run(Folder, arguments);
    }

    void Patch(string source, string name, Action<byte[]> change)
    {
        var bytes = File.ReadAllBytes(PathOf(source));
        change(bytes);
        File.WriteAllBytes(PathOf(name), bytes);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
