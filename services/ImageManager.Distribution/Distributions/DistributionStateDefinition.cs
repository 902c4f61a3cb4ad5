using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Distributions;

public sealed class DistributionStateDefinition : SagaDefinition<DistributionState>
{
    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<DistributionState> sagaConfigurator,
        IRegistrationContext context)
    {
        // Optimistic concurrency: a lost race (xmin changed, or the same distribution inserted twice) runs again on fresh state.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<DbUpdateException>();
            r.Exponential(20, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20));
        });
        // Messages leave only after the saga row is saved, so nothing is sent for a state that was rolled back.
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
