using System.ComponentModel.DataAnnotations;
using ImageManager.Validation.Scanning;

namespace ImageManager.Validation.Tests.Scanning;

public sealed class ScanningOptionsTests
{
    [Fact]
    public void When_scanning_is_required_without_a_clamd_address_the_options_name_the_setting()
    {
        var problems = Problems(new ScanningOptions { Required = true });

        Assert.Contains(problems, problem => problem.StartsWith("Scanning:Clamd is required", StringComparison.Ordinal));
    }

    [Fact]
    public void When_scanning_is_optional_no_clamd_address_is_needed()
    {
        Assert.Empty(Problems(new ScanningOptions { Required = false }));
    }

    [Theory]
    [InlineData("127.0.0.1:3310")]
    [InlineData("http://127.0.0.1:3310")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("tcp://127.0.0.1:3310/path")]
    public void When_the_clamd_address_is_not_tcp_or_unix_it_is_refused(string address)
    {
        Assert.Contains(Problems(new ScanningOptions { Clamd = address }), problem => problem.StartsWith("Scanning:Clamd must be", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:3310")]
    [InlineData("tcp://clamd.example:3310")]
    [InlineData("unix:///run/clamav/clamd.ctl")]
    public void When_the_clamd_address_is_tcp_or_unix_it_is_accepted(string address)
    {
        Assert.Empty(Problems(new ScanningOptions { Clamd = address }));
    }

    [Fact]
    public void When_the_overlap_is_half_a_window_or_more_it_is_refused()
    {
        Assert.Contains(Problems(new ScanningOptions { Clamd = "tcp://127.0.0.1:3310", WindowBytes = 1 << 20, WindowOverlapBytes = 1 << 19 }),
            problem => problem.Contains("WindowOverlapBytes", StringComparison.Ordinal));
    }

    static List<string> Problems(ScanningOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(result => result.ErrorMessage!)];
    }
}
