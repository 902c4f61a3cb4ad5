using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.ApiKeys;

public sealed class ApiKeyMap : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").HasMaxLength(12).IsFixedLength();
        builder.Property(x => x.Name).HasColumnName("name").HasMaxLength(255);
        builder.Property(x => x.Tenant).HasColumnName("tenant").HasMaxLength(64);
        builder.Property(x => x.Roles).HasColumnName("roles").HasMaxLength(128);
        builder.Property(x => x.SecretSha256).HasColumnName("secret_sha256").HasMaxLength(64).IsFixedLength();
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.CreatedBy).HasColumnName("created_by").HasMaxLength(255);
        builder.Property(x => x.ExpiresAt).HasColumnName("expires_at");
        builder.Property(x => x.RevokedAt).HasColumnName("revoked_at");
        builder.Property(x => x.RevokedBy).HasColumnName("revoked_by").HasMaxLength(255);
    }
}
