using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageManager.Distribution.Vims;

public sealed class VimMap : IEntityTypeConfiguration<Vim>
{
    public void Configure(EntityTypeBuilder<Vim> builder)
    {
        builder.ToTable("vims");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").HasMaxLength(128);
        builder.Property(x => x.Type).HasColumnName("type").HasMaxLength(32);
        builder.Property(x => x.Endpoint).HasColumnName("endpoint").HasMaxLength(2048);
        builder.Property(x => x.IdentityUrl).HasColumnName("identity_url").HasMaxLength(2048);
        builder.Property(x => x.Tenant).HasColumnName("tenant").HasMaxLength(128);
        builder.Property(x => x.Region).HasColumnName("region").HasMaxLength(128);
        builder.Property(x => x.Tags).HasColumnName("tags");
        builder.Property(x => x.UploadMode).HasColumnName("upload_mode").HasMaxLength(32).HasDefaultValue(VimUploadModes.Push);
        builder.Property(x => x.ProtectedCredentials).HasColumnName("protected_credentials");
        builder.Property(x => x.CaCertificates).HasColumnName("ca_certificates");
        builder.Property(x => x.InsecureSkipTlsVerify).HasColumnName("insecure_skip_tls_verify");
        builder.Property(x => x.MaxConcurrentUploads).HasColumnName("max_concurrent_uploads").HasDefaultValue(4);
        builder.Property(x => x.BandwidthLimitBytesPerSecond).HasColumnName("bandwidth_limit_bytes_per_second");
        builder.Property(x => x.ConsecutiveFailures).HasColumnName("consecutive_failures");
        builder.Property(x => x.CircuitOpenUntil).HasColumnName("circuit_open_until");
        builder.Property(x => x.LastProbeAt).HasColumnName("last_probe_at");
        builder.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(2000);
        builder.Property(x => x.LastAnsweredAt).HasColumnName("last_answered_at");
        builder.Property(x => x.HealthReason).HasColumnName("health_reason").HasMaxLength(32);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(x => x.Region);
        builder.HasIndex(x => x.Tags).HasMethod("gin");
    }
}
