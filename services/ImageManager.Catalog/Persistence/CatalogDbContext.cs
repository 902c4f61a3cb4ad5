using ImageManager.Catalog.Certificates;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Catalog.Persistence;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<CatalogImage> Images => Set<CatalogImage>();
    public DbSet<SigningCertificate> Certificates => Set<SigningCertificate>();
    public DbSet<ImageTag> Tags => Set<ImageTag>();
    public DbSet<ImageProperty> Properties => Set<ImageProperty>();
    public DbSet<ImageLocation> Locations => Set<ImageLocation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
    }
}
