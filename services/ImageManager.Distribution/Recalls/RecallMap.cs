using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Recalls;

public sealed class RecallMap : IEntityTypeConfiguration<Recall>
{
    public void Configure(EntityTypeBuilder<Recall> builder)
    {
        builder.ToTable("recalls");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(x => x.ImageId).HasColumnName("image_id");
        builder.Property(x => x.Action).HasColumnName("action").HasMaxLength(16);
        builder.Property(x => x.ReasonKind).HasColumnName("reason_kind").HasMaxLength(16);
        builder.Property(x => x.CveId).HasColumnName("cve_id").HasMaxLength(RecallCreation.MaxCveIdLength);
        builder.Property(x => x.ReasonText).HasColumnName("reason_text").HasMaxLength(RecallCreation.MaxReasonLength);
        builder.Property(x => x.SuccessorImageId).HasColumnName("successor_image_id");
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(x => x.ImageId);
    }
}
