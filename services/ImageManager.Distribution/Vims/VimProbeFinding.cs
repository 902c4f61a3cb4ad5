namespace ImageManager.Distribution.Vims;

/// <summary>What one probe of a VIM found at <see cref="At"/>: it answered (<see cref="Reason"/> null), or why not.</summary>
public sealed record VimProbeFinding(DateTimeOffset At, string? Reason, string? Error)
{
    public bool Answered => Reason is null;
}
