namespace ImageManager.ServiceDefaults.Budgets;

/// <summary>
/// What a replica without a database (an Api replica serving pulls) tells the Distribution every second on
/// <c>POST /internal/v1/transfer-budgets</c>: who it is (a stable id for the process) and its transfers in flight per
/// VIM (<see cref="TransferShares.NoVim"/>: to no VIM).
/// </summary>
public sealed record TransferBudgetReport
{
    public required string Reporter { get; init; }
    public required IReadOnlyDictionary<string, int> Transfers { get; init; }
}
