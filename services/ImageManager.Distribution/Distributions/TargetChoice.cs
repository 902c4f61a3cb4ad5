using ImageManager.Contracts.Distributions;

namespace ImageManager.Distribution.Distributions;

/// <summary>
/// How a distribution or a removal names its VIMs, checked alike for both: by id (at most
/// <see cref="DistributionCreation.MaxTargets"/>) and/or with a selector that chooses something.
/// </summary>
public static class TargetChoice
{
    /// <summary>What is wrong with the choice, naming the field; null when it can be resolved. <paramref name="whichVims"/> says what the VIMs are for.</summary>
    public static DistributionRefusal? Problem(VimSelector? selector, int namedCount, string whichVims) => selector switch
    {
        null when namedCount == 0 =>
            Refuse("vimIds", $"Name {whichVims} in vimIds, or choose them with a selector (all, region, tags)."),
        _ when namedCount > DistributionCreation.MaxTargets =>
            Refuse("vimIds", $"vimIds names at most {DistributionCreation.MaxTargets} VIMs; choose more with a selector."),
        { All: false, Region: null, Tags: not { Count: > 0 }, IdPrefix: null or "", Health: null } =>
            Refuse("selector", "A selector chooses all VIMs (all: true), or those with an id prefix, of a region, with every one of some tags and/or in a health state."),
        { All: true } when selector.Region is not null || selector.Tags is { Count: > 0 } || !string.IsNullOrEmpty(selector.IdPrefix) || selector.Health is not null =>
            Refuse("selector", "selector.all chooses every VIM; it cannot be combined with idPrefix, region, tags or health."),
        { Health: { } health } when Vims.VimHealthFilter.ProblemWith(health) is { } unknownHealth =>
            Refuse("selector.health", $"selector.{unknownHealth}"),
        _ => null,
    };

    static DistributionRefusal Refuse(string field, string detail) => new(StatusCodes.Status400BadRequest, field, detail);
}
