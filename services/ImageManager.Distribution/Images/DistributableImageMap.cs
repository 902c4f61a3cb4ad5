using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Images;

public sealed class DistributableImageMap : IEntityTypeConfiguration<DistributableImage>
{
    public void Configure(EntityTypeBuilder<DistributableImage> builder)
    {
        builder.ToTable("images");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(x => x.Name).HasColumnName("name").HasMaxLength(255);
        builder.Property(x => x.Version).HasColumnName("version").HasMaxLength(64);
        builder.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(32);
        builder.Property(x => x.DetectedType).HasColumnName("detected_type").HasMaxLength(64);
        builder.Property(x => x.DiskFormat).HasColumnName("disk_format").HasMaxLength(16);
        builder.Property(x => x.ContainerFormat).HasColumnName("container_format").HasMaxLength(16);
        builder.Property(x => x.SizeBytes).HasColumnName("size_bytes");
        builder.Property(x => x.Sha256).HasColumnName("sha256").HasMaxLength(64);
        builder.Property(x => x.Sha512).HasColumnName("sha512").HasMaxLength(128);
        builder.Property(x => x.ValidatedAt).HasColumnName("validated_at");
        builder.Property(x => x.Deactivated).HasColumnName("deactivated");
        builder.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(64);
        builder.Property(x => x.WithdrawnAt).HasColumnName("withdrawn_at");
    }
}
