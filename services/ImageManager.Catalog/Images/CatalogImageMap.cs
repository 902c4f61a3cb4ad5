using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Images;

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
        builder.Property(x => x.Visibility).HasColumnName("visibility").HasMaxLength(16);
        builder.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(255);
        builder.Property(x => x.UploadedBy).HasColumnName("uploaded_by").HasMaxLength(255);
        builder.Property(x => x.OsDistro).HasColumnName("os_distro").HasMaxLength(64);
        builder.Property(x => x.OsVersion).HasColumnName("os_version").HasMaxLength(64);
        builder.Property(x => x.Architecture).HasColumnName("architecture").HasMaxLength(32);
        builder.Property(x => x.MinRamMb).HasColumnName("min_ram_mb");
        builder.Property(x => x.MinDiskGb).HasColumnName("min_disk_gb");
        builder.Property(x => x.Protected).HasColumnName("protected");
        builder.Property(x => x.EndOfLife).HasColumnName("end_of_life");
        builder.Property(x => x.ExcludeFromLatest).HasColumnName("exclude_from_latest");
        builder.Property(x => x.DetectedType).HasColumnName("detected_type").HasMaxLength(64);
        builder.Property(x => x.VirtualSizeBytes).HasColumnName("virtual_size_bytes");
        builder.Property(x => x.ValidatedAt).HasColumnName("validated_at");
        builder.Property(x => x.MalwareScan).HasColumnName("malware_scan").HasMaxLength(32);
        builder.Property(x => x.SignerSubject).HasColumnName("signer_subject").HasMaxLength(1024);
        builder.Property(x => x.SignerIssuer).HasColumnName("signer_issuer").HasMaxLength(1024);
        builder.Property(x => x.SignerSerialNumber).HasColumnName("signer_serial_number").HasMaxLength(128);
        builder.Property(x => x.SignerSha256Fingerprint).HasColumnName("signer_sha256_fingerprint").HasMaxLength(64);
        builder.Property(x => x.SignerNotAfter).HasColumnName("signer_not_after");
        builder.Property(x => x.SignerAuthoritySha256Fingerprint).HasColumnName("signer_authority_sha256_fingerprint").HasMaxLength(64);
        builder.Property(x => x.SignerCertificatePem).HasColumnName("signer_certificate_pem").HasColumnType("text");
        builder.Property(x => x.TrustWithdrawnAt).HasColumnName("trust_withdrawn_at");
        builder.Property(x => x.TrustWithdrawnReason).HasColumnName("trust_withdrawn_reason").HasMaxLength(2048);
        builder.Property(x => x.EndOfLifeAnnouncedAt).HasColumnName("end_of_life_announced_at");
        builder.Property(x => x.Revision).HasColumnName("revision").IsConcurrencyToken();
        builder.HasMany(x => x.Tags).WithOne().HasForeignKey(x => x.ImageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(x => x.Shares).WithOne().HasForeignKey(x => x.ImageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(x => x.Properties).WithOne().HasForeignKey(x => x.ImageId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.PackageId).HasColumnName("package_id");
        builder.Property(x => x.PathInPackage).HasColumnName("path_in_package").HasMaxLength(1024);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");

        // Kind + name + version are unique per owning tenant (images with no owner form a tenant of their own), and among
        // public images, whose names everyone sees (ImageNames says why). Generated columns carry the two scopes, so that
        // the database decides a race, and a NULL scope (not public) stays out of the public index.
        builder.Property<string>(ImageNames.OwnerScope).HasColumnName("owner_scope").HasMaxLength(255)
            .HasComputedColumnSql("coalesce(`owner`, '')", stored: true);
        builder.Property<bool?>(ImageNames.PublicScope).HasColumnName("public_scope")
            .HasComputedColumnSql("case when `visibility` = 'public' then 1 end", stored: true);
        builder.HasIndex(ImageNames.OwnerScope, nameof(CatalogImage.Kind), nameof(CatalogImage.Name), nameof(CatalogImage.Version)).IsUnique();
        builder.HasIndex(ImageNames.PublicScope, nameof(CatalogImage.Kind), nameof(CatalogImage.Name), nameof(CatalogImage.Version)).IsUnique();
        // Keyset paging in each sort order, and the common filters before it (see ImageQuery).
        builder.HasIndex(x => new { x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.UpdatedAt, x.Id });
        builder.HasIndex(x => new { x.Name, x.Id });
        builder.HasIndex(x => new { x.Status, x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.Kind, x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.Vendor, x.CreatedAt, x.Id });
        builder.HasIndex(x => new { x.SizeBytes, x.Id });
        builder.HasIndex(x => x.PackageId);
        // A trust store change looks only at signed images still trusted; the end-of-life sweep only at unannounced dates.
        builder.HasIndex(x => new { x.TrustWithdrawnAt, x.SignerSha256Fingerprint });
        builder.HasIndex(x => new { x.EndOfLifeAnnouncedAt, x.EndOfLife });
    }
}
