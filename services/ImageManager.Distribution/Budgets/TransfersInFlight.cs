namespace ImageManager.Distribution.Budgets;

/// <summary>
/// One replica's transfers in flight to one VIM (<see cref="ServiceDefaults.Budgets.TransferShares.NoVim"/>: to none),
/// as it last reported them; the row counts until <see cref="ExpiresAt"/>, so a replica that dies stops counting soon.
/// No key to the VIM: a pull may outlive its VIM's registration.
/// </summary>
public sealed class TransfersInFlight
{
    public required string Reporter { get; set; }
    public required string VimId { get; set; }
    public int Transfers { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
