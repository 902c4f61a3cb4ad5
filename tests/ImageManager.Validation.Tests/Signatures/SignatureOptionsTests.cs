using ImageManager.Validation.Signatures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImageManager.Validation.Tests.Signatures;

/// <summary>The signature settings as the service binds them: from <c>Signatures</c>, validated, with defaults when absent.</summary>
public sealed class SignatureOptionsTests
{
    [Fact]
    public void When_the_section_is_absent_the_trust_store_is_reviewed_every_minute()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Bind([]).TrustStoreReviewInterval);
    }

    [Fact]
    public void When_the_section_sets_the_review_interval_it_is_bound()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), Bind(new() { ["Signatures:TrustStoreReviewInterval"] = "00:00:15" }).TrustStoreReviewInterval);
    }

    [Fact]
    public void When_the_review_interval_is_zero_the_options_are_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Signatures:TrustStoreReviewInterval"] = "00:00:00" }));

        Assert.Contains("TrustStoreReviewInterval", error.Message, StringComparison.Ordinal);
    }

    static SignatureOptions Bind(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddValidation();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<SignatureOptions>>().Value;
    }
}
