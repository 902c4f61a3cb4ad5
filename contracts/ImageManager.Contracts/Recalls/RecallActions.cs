namespace ImageManager.Contracts.Recalls;

/// <summary>What a recall does on every VIM that holds the recalled image.</summary>
public static class RecallActions
{
    /// <summary>Take the image off each VIM (a removal, under the ownership rules: a copy not Image Manager's, or still relied on, is released).</summary>
    public const string Remove = "remove";

    /// <summary>Make the successor present on each VIM first (uploaded, or already there), then take the recalled copy off.</summary>
    public const string Replace = "replace";

    /// <summary>
    /// Deactivate Image Manager's copies on each VIM (they stay there, unusable, until reactivated on the VIM): a
    /// deactivation, under the ownership rules of removal. A VIM type that cannot deactivate fails its target, saying so.
    /// </summary>
    public const string Deactivate = "deactivate";

    public static readonly string[] All = [Remove, Replace, Deactivate];
}
