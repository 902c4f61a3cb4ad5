namespace ImageManager.Distribution.Drivers;

/// <summary>Whether a VIM still holds an image with the right bytes; <see cref="Problem"/> says what is wrong if not.</summary>
public sealed record VimImagePresence(bool Intact, string? Problem = null)
{
    public static VimImagePresence Present { get; } = new(true);

    public static VimImagePresence Drifted(string problem) => new(false, problem);
}
