namespace ImageManager.Faults.Tests;

/// <summary>One request of an <see cref="ApiProbe"/>: when it was sent, how long the answer took, and its status (none: no answer).</summary>
public sealed record ProbeAnswer(string Path, TimeSpan SentAt, TimeSpan Took, int? Status)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
