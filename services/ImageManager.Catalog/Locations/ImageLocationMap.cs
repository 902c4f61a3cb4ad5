using ImageManager.Catalog.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Catalog.Locations;

public sealed class ImageLocationMap : IEntityTypeConfiguration<ImageLocation>
{
    public void Configure(EntityTypeBuilder<ImageLocation> builder)
    {
        builder.ToTable("image_locations");
        builder.HasKey(x => new { x.ImageId, x.VimId });
        builder.Property(x => x.ImageId).HasColumnName("image_id");
        builder.Property(x => x.VimId).HasColumnName("vim_id").HasMaxLength(ImageLimits.VimIdLength);
        builder.Property(x => x.State).HasColumnName("state").HasMaxLength(16);
        builder.Property(x => x.VimImageId).HasColumnName("vim_image_id").HasMaxLength(255);
        builder.Property(x => x.DistributionId).HasColumnName("distribution_id");
        builder.Property(x => x.Error).HasColumnName("error").HasMaxLength(2048);
        builder.Property(x => x.Origin).HasColumnName("origin").HasMaxLength(16);
        builder.Property(x => x.ChangedAt).HasColumnName("changed_at");

        // "Which images are on VIM Y", paged by image id.
        builder.HasIndex(x => new { x.VimId, x.ImageId });
    }
}
