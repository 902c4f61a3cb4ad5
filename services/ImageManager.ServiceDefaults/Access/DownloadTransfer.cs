using System.Globalization;

namespace ImageManager.ServiceDefaults.Access;

/// <summary>
/// The target a download link was made for: one VIM's pull of one distribution's image, in one attempt. Written into
/// the link as <c>{distribution id}.{attempt}.{VIM id}</c> (the VIM id last, as it may hold dots).
/// </summary>
public sealed record DownloadTransfer(Guid DistributionId, int Attempt, string VimId)
{
    public override string ToString() => $"{DistributionId:N}.{Attempt.ToString(CultureInfo.InvariantCulture)}.{VimId}";

    public static DownloadTransfer? Parse(string? value)
    {
        var parts = value?.Split('.', 3);
        return parts is [var distribution, var attempt, var vim]
            && Guid.TryParseExact(distribution, "N", out var distributionId)
            && int.TryParse(attempt, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && vim.Length > 0
                ? new DownloadTransfer(distributionId, number, vim)
                : null;
    }
}
