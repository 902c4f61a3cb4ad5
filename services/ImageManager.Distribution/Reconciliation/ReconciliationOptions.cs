using System.ComponentModel.DataAnnotations;

namespace ImageManager.Distribution.Reconciliation;

/// <summary>Bound from the <c>Reconciliation</c> section.</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Reconciliation";

    /// <summary>Whether the scheduled pass runs; <c>POST /internal/v1/reconciliation/run</c> works either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between scheduled passes.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "30.00:00:00", ErrorMessage = "Reconciliation:Interval is from 10 seconds to 30 days.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Image-VIM pairs checked by one pass; the next pass goes on where this one stopped.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Checks in flight at once.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 8;

    /// <summary>Longest one check of one pair may take; a VIM slower than this is unchecked, not drifted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Reconciliation:CheckTimeout is from 1 second to 10 minutes.")]
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a drifted pair is distributed again at once (a new distribution of the image to that VIM).</summary>
    public bool Repair { get; set; }
}
