using ImageManager.ServiceDefaults.Sanitising;

namespace ImageManager.Distribution.Drivers;

/// <summary>
/// The VIM could not do it now (unreachable, 5xx, 429, timeout); a later attempt may succeed. The message is made safe
/// here (<see cref="OutsideText"/>), as for <see cref="VimRejectedException"/>.
/// </summary>
public sealed class VimTransientException(string message, Exception? inner = null)
    : Exception(OutsideText.Sanitise(message, VimRejectedException.MaxMessageLength), inner)
{
    /// <summary>What the failure says of the VIM (<see cref="Vims.VimHealthReasons"/>); null when it says nothing particular.</summary>
    public string? HealthReason { get; init; }
}
