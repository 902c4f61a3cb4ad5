namespace ImageManager.Topology;

/// <summary>The system as <see cref="SystemDeclaration"/> declares it for one start: its services in start order.</summary>
public sealed class DeclaredSystem(IReadOnlyList<DeclaredService> services, bool balanced = false)
{
    /// <summary>Every service behind HAProxy, started from <see cref="BalancerConfiguration"/> before the services.</summary>
    public bool Balanced { get; } = balanced;

    /// <summary>In the order they start (and the reverse of the order they stop).</summary>
    public IReadOnlyList<DeclaredService> Services { get; } = services;

    /// <summary>The services that own a database, in the order their migrations run.</summary>
    public IEnumerable<DeclaredService> Migrations => Services.Where(service => service.Migrates);

    public DeclaredService this[string name] => Services.Single(service => service.Name == name);
}
