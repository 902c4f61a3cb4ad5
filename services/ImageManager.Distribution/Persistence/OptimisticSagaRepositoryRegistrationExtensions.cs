using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;

namespace ImageManager.Distribution.Persistence;

public static class OptimisticSagaRepositoryRegistrationExtensions
{
    /// <summary>Stores this saga in PostgreSQL through <see cref="DistributionDbContext"/>, with optimistic concurrency.</summary>
    public static ISagaRegistrationConfigurator<TSaga> OptimisticPostgresRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
    {
        configurator.Repository(services => services.RegisterSagaRepository<
            TSaga,
            DistributionDbContext,
            SagaConsumeContextFactory<DistributionDbContext, TSaga>,
            OptimisticSagaRepositoryContextFactory<TSaga>>());
        return configurator;
    }
}
