using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Persistence;

public sealed class VimMap : IEntityTypeConfiguration<Vim>
{
    public void Configure(EntityTypeBuilder<Vim> builder)
    {
        builder.ToTable("vims");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").HasMaxLength(128);
        builder.Property(x => x.Type).HasColumnName("type").HasMaxLength(32);
        builder.Property(x => x.Endpoint).HasColumnName("endpoint").HasMaxLength(2048);
        builder.Property(x => x.Region).HasColumnName("region").HasMaxLength(128);
        builder.Property(x => x.Tags).HasColumnName("tags");
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");
    }
}
