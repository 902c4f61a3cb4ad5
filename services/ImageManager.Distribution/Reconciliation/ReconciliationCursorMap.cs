using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Reconciliation;

public sealed class ReconciliationCursorMap : IEntityTypeConfiguration<ReconciliationCursor>
{
    public void Configure(EntityTypeBuilder<ReconciliationCursor> builder)
    {
        builder.ToTable("reconciliation_cursors");
        builder.HasKey(x => x.Name);
        builder.Property(x => x.Name).HasColumnName("name").HasMaxLength(64);
        builder.Property(x => x.ImageId).HasColumnName("image_id");
        builder.Property(x => x.VimId).HasColumnName("vim_id").HasMaxLength(128);
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");
    }
}
