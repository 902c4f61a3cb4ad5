using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Persistence;

public sealed class CatalogImageMap : IEntityTypeConfiguration<CatalogImage>
{
    public void Configure(EntityTypeBuilder<CatalogImage> builder)
    {
        builder.ToTable("images");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id");
        builder.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(32);
        builder.Property(x => x.Name).HasColumnName("name").HasMaxLength(255);
        builder.Property(x => x.Version).HasColumnName("version").HasMaxLength(64);
        builder.Property(x => x.Vendor).HasColumnName("vendor").HasMaxLength(255);
        builder.Property(x => x.Description).HasColumnName("description").HasMaxLength(4096);
        builder.Property(x => x.DiskFormat).HasColumnName("disk_format").HasMaxLength(16);
        builder.Property(x => x.ContainerFormat).HasColumnName("container_format").HasMaxLength(16);
        builder.Property(x => x.Status).HasColumnName("status").HasMaxLength(16);
        builder.Property(x => x.DeclaredSha256).HasColumnName("declared_sha256").HasMaxLength(64).IsFixedLength();
        builder.Property(x => x.DeclaredSha512).HasColumnName("declared_sha512").HasMaxLength(128).IsFixedLength();
        builder.Property(x => x.DeclaredMd5).HasColumnName("declared_md5").HasMaxLength(32).IsFixedLength();
        builder.Property(x => x.Sha256).HasColumnName("sha256").HasMaxLength(64).IsFixedLength();
        builder.Property(x => x.Sha512).HasColumnName("sha512").HasMaxLength(128).IsFixedLength();
        builder.Property(x => x.SizeBytes).HasColumnName("size_bytes");
        builder.Property(x => x.RejectionReason).HasColumnName("rejection_reason").HasMaxLength(2048);
        builder.Property(x => x.ImportError).HasColumnName("import_error").HasMaxLength(2048);
        builder.Property(x => x.SignatureValue).HasColumnName("signature_value").HasColumnType("text");
        builder.Property(x => x.SignatureHashMethod).HasColumnName("signature_hash_method").HasMaxLength(16);
        builder.Property(x => x.SignatureKeyType).HasColumnName("signature_key_type").HasMaxLength(32);
        builder.Property(x => x.SignatureCertificateId).HasColumnName("signature_certificate_id");
        builder.Property(x => x.SignatureCertificate).HasColumnName("signature_certificate").HasColumnType("text");
        builder.Property(x => x.PackageId).HasColumnName("package_id");
        builder.Property(x => x.PathInPackage).HasColumnName("path_in_package").HasMaxLength(1024);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");

        // Name + version are unique per kind: the catalogue's natural key.
        builder.HasIndex(x => new { x.Kind, x.Name, x.Version }).IsUnique();
        builder.HasIndex(x => new { x.Status, x.CreatedAt });
        builder.HasIndex(x => x.PackageId);
    }
}
