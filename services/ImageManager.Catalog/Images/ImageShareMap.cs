using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Images;

public sealed class ImageShareMap : IEntityTypeConfiguration<ImageShare>
{
    public void Configure(EntityTypeBuilder<ImageShare> builder)
    {
        builder.ToTable("image_shares");
        builder.HasKey(x => new { x.ImageId, x.Tenant });
        builder.Property(x => x.ImageId).HasColumnName("image_id");
        builder.Property(x => x.Tenant).HasColumnName("tenant").HasMaxLength(64);
        builder.HasIndex(x => new { x.Tenant, x.ImageId });
    }
}
