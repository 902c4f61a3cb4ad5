using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Recalls;

public sealed class RecallChildMap : IEntityTypeConfiguration<RecallChild>
{
    public void Configure(EntityTypeBuilder<RecallChild> builder)
    {
        builder.ToTable("recall_children");
        builder.HasKey(x => x.ChildId);
        builder.Property(x => x.ChildId).HasColumnName("child_id").ValueGeneratedNever();
        builder.Property(x => x.RecallId).HasColumnName("recall_id");
        builder.Property(x => x.Role).HasColumnName("role").HasMaxLength(16);
        builder.HasIndex(x => x.RecallId);
    }
}
