using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Images;

public sealed class ImagePropertyMap : IEntityTypeConfiguration<ImageProperty>
{
    public void Configure(EntityTypeBuilder<ImageProperty> builder)
    {
        builder.ToTable("image_properties");
        builder.HasKey(x => new { x.ImageId, x.Key });
        builder.Property(x => x.ImageId).HasColumnName("image_id");
        builder.Property(x => x.Key).HasColumnName("property_key").HasMaxLength(ImageLimits.PropertyKeyLength);
        builder.Property(x => x.Value).HasColumnName("property_value").HasMaxLength(ImageLimits.PropertyValueLength);
        builder.HasIndex(x => new { x.Key, x.Value, x.ImageId });
    }
}
