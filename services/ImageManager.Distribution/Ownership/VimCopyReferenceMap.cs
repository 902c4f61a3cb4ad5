using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Ownership;

public sealed class VimCopyReferenceMap : IEntityTypeConfiguration<VimCopyReference>
{
    public void Configure(EntityTypeBuilder<VimCopyReference> builder)
    {
        builder.ToTable("vim_copy_references");
        builder.HasKey(x => new { x.ImageId, x.VimId, x.VimImageId });
        builder.Property(x => x.ImageId).HasColumnName("image_id");
        builder.Property(x => x.VimId).HasColumnName("vim_id").HasMaxLength(128);
        builder.Property(x => x.VimImageId).HasColumnName("vim_image_id").HasMaxLength(255);
        builder.Property(x => x.Origin).HasColumnName("origin").HasMaxLength(16);
        builder.Property(x => x.DistributionId).HasColumnName("distribution_id");
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");

        // "Does any other image rely on this copy?", asked under the copy's row lock before it is deleted.
        builder.HasIndex(x => new { x.VimId, x.VimImageId });
        builder.HasOne<VimCopy>().WithMany().HasForeignKey(x => new { x.VimId, x.VimImageId }).OnDelete(DeleteBehavior.Restrict);
    }
}
