using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Persistence;

/// <summary>
/// A saga repository on EF Core 10 and PostgreSQL, built on MassTransit core's public repository interfaces
/// (MassTransit.EntityFrameworkCore is not available here). Optimistic: a fresh <see cref="DistributionDbContext"/>
/// per attempt, the row version mapped to <c>xmin</c>; a lost race throws <see cref="DbUpdateConcurrencyException"/>
/// and the endpoint's message retry runs the message again on fresh state.
/// </summary>
public sealed class OptimisticSagaRepositoryContextFactory<TSaga>(
    IDbContextFactory<DistributionDbContext> dbContextFactory,
    ISagaConsumeContextFactory<DistributionDbContext, TSaga> consumeContextFactory)
    : ISagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        await using var db = await dbContextFactory.CreateDbContextAsync(context.CancellationToken);
        using var repositoryContext = new OptimisticSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory);
        await next.Send(repositoryContext);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        await using var db = await dbContextFactory.CreateDbContextAsync(context.CancellationToken);
        var instances = await db.Set<TSaga>().Where(query.FilterExpression).ToListAsync(context.CancellationToken);
        using var repositoryContext = new OptimisticSagaRepositoryContext<TSaga, T>(db, context, consumeContextFactory);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
    }

    public void Probe(ProbeContext context) => context.Add("persistence", "postgresql-optimistic");
}
