namespace ImageManager.Contracts.Distributions;

/// <summary>
/// How long a distribution should take, estimated before it starts from the image's size, each target VIM's bandwidth
/// cap, the strategy's parallelism and canary wave, and the central uplink's budget: a lower bound (the VIMs' own speed
/// and other transfers sharing the budgets make it later). <see cref="DurationSeconds"/>: until the last target has its
/// bytes; <see cref="LastTargetStartSeconds"/>: until the last target starts, which is what a deadline needs (targets not
/// started by then are cancelled); both null when nothing bounds the pace (no cap, no uplink budget).
/// <see cref="DeadlineMet"/>: whether every target starts before the strategy's deadline (null: no deadline, or no
/// estimate); when false, <see cref="Warning"/> says so (accepted only because the request allowed it).
/// </summary>
public sealed record DistributionEstimateResource(
    double? DurationSeconds,
    double? LastTargetStartSeconds,
    DateTimeOffset? FinishesBy,
    bool? DeadlineMet,
    string Basis,
    string? Warning);
