using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Budgets;

/// <summary>
/// The budgets of a replica alone: never started, so it never exchanges its counts and paces by its own transfers only,
/// which is all a test of one VIM connection needs; its database is never opened.
/// </summary>
public static class UnsharedBudgets
{
    public static TransferBudgets Create(long? uplink = null) => new(
        new PooledDbContextFactory<DistributionDbContext>(new DbContextOptionsBuilder<DistributionDbContext>().UseNpgsql("Host=never-opened.invalid").Options),
        Options.Create(new BudgetOptions { UplinkBytesPerSecond = uplink }),
        NullLogger<TransferBudgets>.Instance);
}
