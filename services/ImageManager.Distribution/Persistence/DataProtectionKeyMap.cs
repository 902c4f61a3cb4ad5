using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Persistence;

/// <summary>The key ring's rows; a key's file name is unique, so that two replicas importing the same key store it once.</summary>
public sealed class DataProtectionKeyMap : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id");
        builder.Property(x => x.FriendlyName).HasColumnName("friendly_name").HasMaxLength(256);
        builder.Property(x => x.Xml).HasColumnName("xml");
        builder.HasIndex(x => x.FriendlyName).IsUnique().HasDatabaseName("ux_data_protection_keys_friendly_name");
    }
}
