using ImageManager.Distribution.Distributions;
using ImageManager.Distribution.Hubs;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Receipts;
using ImageManager.Distribution.Reconciliation;
using ImageManager.Distribution.Vims;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Persistence;

public sealed class DistributionDbContext(DbContextOptions<DistributionDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring, one ring for every replica.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Vim> Vims => Set<Vim>();
    public DbSet<Hub> Hubs => Set<Hub>();
    public DbSet<DistributableImage> Images => Set<DistributableImage>();
    public DbSet<DistributionState> Distributions => Set<DistributionState>();
    public DbSet<DistributionTarget> Targets => Set<DistributionTarget>();
    public DbSet<ReconciliationCursor> ReconciliationCursors => Set<ReconciliationCursor>();
    public DbSet<VimCopy> VimCopies => Set<VimCopy>();
    public DbSet<VimCopyReference> VimCopyReferences => Set<VimCopyReference>();
    public DbSet<ReceiptKey> ReceiptKeys => Set<ReceiptKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DistributionDbContext).Assembly);
    }
}
