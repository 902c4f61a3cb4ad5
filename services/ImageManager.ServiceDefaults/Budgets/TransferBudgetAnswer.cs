namespace ImageManager.ServiceDefaults.Budgets;

/// <summary>
/// The Distribution's answer to a <see cref="TransferBudgetReport"/>: the uplink's budget (null: none), the transfers
/// in flight elsewhere (in all, and to each VIM the reporter named), and those VIMs' caps (null: uncapped).
/// </summary>
public sealed record TransferBudgetAnswer
{
    public long? UplinkBytesPerSecond { get; init; }
    public required int UplinkTransfersElsewhere { get; init; }
    public required IReadOnlyDictionary<string, int> TransfersElsewhere { get; init; }
    public required IReadOnlyDictionary<string, long?> Caps { get; init; }
}
