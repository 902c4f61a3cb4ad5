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

    [Fact]
    public void When_the_ocsp_section_is_absent_no_responder_is_asked()
    {
        var ocsp = Bind<OcspOptions>([]);

        Assert.Equal((OcspMode.Off, null, TimeSpan.FromSeconds(5)), (ocsp.Mode, ocsp.Responder, ocsp.Timeout));
    }

    [Fact]
    public void When_the_ocsp_section_names_a_mode_and_a_responder_they_are_bound()
    {
        var ocsp = Bind<OcspOptions>(new() { ["Signatures:Ocsp:Mode"] = "Required", ["Signatures:Ocsp:Responder"] = "http://127.0.0.1:8888/ocsp" });

        Assert.Equal((OcspMode.Required, new Uri("http://127.0.0.1:8888/ocsp")), (ocsp.Mode, ocsp.Responder));
    }

    [Fact]
    public void When_the_ocsp_responder_is_not_an_http_url_the_options_are_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind<OcspOptions>(new() { ["Signatures:Ocsp:Responder"] = "ldap://127.0.0.1/ocsp" }));

        Assert.Contains("Signatures:Ocsp:Responder must be an absolute http or https URL", error.Message, StringComparison.Ordinal);
    }

    static SignatureOptions Bind(Dictionary<string, string?> settings) => Bind<SignatureOptions>(settings);

    static T Bind<T>(Dictionary<string, string?> settings)
        where T : class
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddValidation();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<T>>().Value;
    }
}
