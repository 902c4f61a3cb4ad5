using ImageManager.Validation.Formats;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Formats;

/// <summary>The limits as the service binds them: from <c>FormatInspection</c>, validated, with defaults when absent.</summary>
public sealed class FormatInspectionOptionsTests
{
    [Fact]
    public void When_the_section_is_absent_the_defaults_apply()
    {
        var options = Bind([]);

        Assert.Equal(2L << 40, options.MaxVirtualSizeBytes);
        Assert.Equal(10_000_000, options.MaxVirtualToFileSizeRatio);
    }

    [Fact]
    public void When_the_section_sets_the_limits_they_are_bound()
    {
        var options = Bind(new() { ["FormatInspection:MaxVirtualSizeBytes"] = "1099511627776", ["FormatInspection:MaxVirtualToFileSizeRatio"] = "1000" });

        Assert.Equal(1L << 40, options.MaxVirtualSizeBytes);
        Assert.Equal(1000, options.MaxVirtualToFileSizeRatio);
    }

    [Theory]
    [InlineData("MaxVirtualSizeBytes", "0")]
    [InlineData("MaxVirtualToFileSizeRatio", "-1")]
    public void When_a_limit_is_not_positive_the_options_are_refused(string name, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"FormatInspection:{name}"] = value }));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    static FormatInspectionOptions Bind(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddValidation();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<FormatInspectionOptions>>().Value;
    }
}
