using ImageManager.ServiceDefaults.Sanitising;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// The VIM refused, or proved the bytes wrong; trying again will not help. The message becomes the target's error, is
/// logged and shown: it is made safe here (<see cref="OutsideText"/>), whatever of the VIM's answer it quotes.
/// </summary>
public sealed class VimRejectedException(string message) : Exception(OutsideText.Sanitise(message, MaxMessageLength))
{
    /// <summary>Room is left in a target's error (4096) for what the upload adds (attempts, the next try).</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>What the failure says of the VIM (<see cref="Vims.VimHealthReasons"/>); null when it says nothing particular.</summary>
    public string? HealthReason { get; init; }
}
