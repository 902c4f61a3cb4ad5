using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Ownership;

public sealed class VimCopyMap : IEntityTypeConfiguration<VimCopy>
{
    public void Configure(EntityTypeBuilder<VimCopy> builder)
    {
        builder.ToTable("vim_copies");
        builder.HasKey(x => new { x.VimId, x.VimImageId });
        builder.Property(x => x.VimId).HasColumnName("vim_id").HasMaxLength(128);
        builder.Property(x => x.VimImageId).HasColumnName("vim_image_id").HasMaxLength(255);
        builder.Property(x => x.CreatedByImageManager).HasColumnName("created_by_image_manager");
        builder.Property(x => x.CreatedForImageId).HasColumnName("created_for_image_id");
        builder.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(64);
        builder.Property(x => x.State).HasColumnName("state").HasMaxLength(16);
        builder.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(2048);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");
    }
}
