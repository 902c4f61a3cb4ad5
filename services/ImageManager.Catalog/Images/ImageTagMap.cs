using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Images;

public sealed class ImageTagMap : IEntityTypeConfiguration<ImageTag>
{
    public void Configure(EntityTypeBuilder<ImageTag> builder)
    {
        builder.ToTable("image_tags");
        builder.HasKey(x => new { x.ImageId, x.Tag });
        builder.Property(x => x.ImageId).HasColumnName("image_id");
        builder.Property(x => x.Tag).HasColumnName("tag").HasMaxLength(ImageLimits.TagLength);
        builder.HasIndex(x => new { x.Tag, x.ImageId });
    }
}
