using ImageManager.Validation.Archives;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Archives;

/// <summary>The archive limits as the service binds them: from <c>ArchiveSafety</c>, validated, with defaults when absent.</summary>
public sealed class ArchiveSafetyOptionsTests
{
    [Fact]
    public void When_the_section_is_absent_the_defaults_apply()
    {
        var options = Bind([]);

        Assert.Equal(64L << 30, options.MaxExpandedBytes);
        Assert.Equal(200, options.MaxExpansionRatio);
        Assert.Equal(100_000, options.MaxEntries);
    }

    [Fact]
    public void When_the_section_sets_the_limits_they_are_bound()
    {
        var options = Bind(new()
        {
            ["ArchiveSafety:MaxExpandedBytes"] = "1073741824",
            ["ArchiveSafety:MaxExpansionRatio"] = "50",
            ["ArchiveSafety:MaxEntries"] = "1000",
        });

        Assert.Equal(1L << 30, options.MaxExpandedBytes);
        Assert.Equal(50, options.MaxExpansionRatio);
        Assert.Equal(1000, options.MaxEntries);
    }

    [Theory]
    [InlineData("MaxExpandedBytes", "0")]
    [InlineData("MaxExpansionRatio", "0")]
    [InlineData("MaxEntries", "-5")]
    public void When_a_limit_is_not_positive_the_options_are_refused(string name, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"ArchiveSafety:{name}"] = value }));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    static ArchiveSafetyOptions Bind(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddValidation();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<ArchiveSafetyOptions>>().Value;
    }
}
