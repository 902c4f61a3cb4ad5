using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Distributions;

namespace ImageManager.Distribution.Tests.Distributions;

/// <summary>A target's time left as the status shows it.</summary>
public sealed class TargetEtaTests
{
    [Theory]
    [InlineData(50_226_788, 0.1)] // 104,860 bytes left at 3 MiB/s: 0.03 s, shown as 0.1, not as nothing left
    [InlineData(0, 16.0)]
    [InlineData(47_185_920, 1.0)] // 3 MiB left: exactly a second
    [InlineData(50_331_648, 0.0)] // every byte handed over: only the VIM's answer is left
    public void When_an_upload_has_bytes_left_its_time_left_is_rounded_up_to_a_tenth_and_never_shown_as_none(long bytesSent, double expected)
    {
        Assert.Equal(expected, TargetResourceMapping.EtaOf(TargetStates.Uploading, bytesSent, 3 * 1024 * 1024, 48 * 1024 * 1024));
    }
}
