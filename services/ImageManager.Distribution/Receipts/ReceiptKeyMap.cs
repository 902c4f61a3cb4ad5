using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Receipts;

public sealed class ReceiptKeyMap : IEntityTypeConfiguration<ReceiptKey>
{
    public void Configure(EntityTypeBuilder<ReceiptKey> builder)
    {
        builder.ToTable("receipt_keys");
        builder.HasKey(x => x.KeyId);
        builder.Property(x => x.KeyId).HasColumnName("key_id").HasMaxLength(64);
        builder.Property(x => x.PublicJwk).HasColumnName("public_jwk").HasMaxLength(1024);
        builder.Property(x => x.ProtectedPrivateKey).HasColumnName("protected_private_key").HasMaxLength(4096);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.RetiredAt).HasColumnName("retired_at");
        builder.Property(x => x.RevokedAt).HasColumnName("revoked_at");
    }
}
