using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Certificates;

public sealed class SigningCertificateMap : IEntityTypeConfiguration<SigningCertificate>
{
    public void Configure(EntityTypeBuilder<SigningCertificate> builder)
    {
        builder.ToTable("signing_certificates");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id");
        builder.Property(x => x.Name).HasColumnName("name").HasMaxLength(255);
        builder.Property(x => x.Pem).HasColumnName("pem").HasColumnType("text");
        builder.Property(x => x.Subject).HasColumnName("subject").HasMaxLength(1024);
        builder.Property(x => x.Sha256Fingerprint).HasColumnName("sha256_fingerprint").HasMaxLength(64).IsFixedLength();
        builder.Property(x => x.NotAfter).HasColumnName("not_after");
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(x => x.Sha256Fingerprint).IsUnique();
    }
}
