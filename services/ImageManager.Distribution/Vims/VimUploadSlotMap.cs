using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Vims;

public sealed class VimUploadSlotMap : IEntityTypeConfiguration<VimUploadSlot>
{
    public void Configure(EntityTypeBuilder<VimUploadSlot> builder)
    {
        builder.ToTable("vim_upload_slots");
        builder.HasKey(x => new { x.VimId, x.Slot });
        builder.Property(x => x.VimId).HasColumnName("vim_id").HasMaxLength(128);
        builder.Property(x => x.Slot).HasColumnName("slot");
        builder.Property(x => x.Holder).HasColumnName("holder");
        builder.Property(x => x.ExpiresAt).HasColumnName("expires_at");
        builder.HasIndex(x => x.Holder).HasDatabaseName("ix_vim_upload_slots_holder").HasFilter("holder IS NOT NULL");
        builder.HasOne<Vim>().WithMany().HasForeignKey(x => x.VimId).OnDelete(DeleteBehavior.Cascade);
    }
}
