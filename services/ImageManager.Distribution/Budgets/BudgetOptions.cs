using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution.Budgets;

/// <summary>Bound from the <c>Budgets</c> section.</summary>
public sealed class BudgetOptions
{
    public const string Section = "Budgets";

    /// <summary>
    /// The central site's uplink as a whole, in bytes per second: every push from every Distribution replica and every
    /// pull served by every Api replica share it (the Api learns it from the Distribution). Unset: no uplink budget.
    /// </summary>
    [Range(65_536, long.MaxValue)]
    public long? UplinkBytesPerSecond { get; set; }
}
