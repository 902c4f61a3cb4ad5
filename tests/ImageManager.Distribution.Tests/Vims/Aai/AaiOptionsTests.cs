using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Vims.Aai;

/// <summary>The A&amp;AI settings are checked when the service starts: a wrong one stops it, named, and the password is never in the message.</summary>
public sealed class AaiOptionsTests(AaiImportRig rig) : IClassFixture<AaiImportRig>
{
    [Theory]
    [InlineData("Aai:Username", null, "Aai:Username and Aai:Password")]
    [InlineData("Aai:BaseUrl", "https://AAI:AAI@aai.onap:8443/", "without user info")]
    [InlineData("Aai:BaseUrl", "ftp://aai.onap/", "Aai:BaseUrl")]
    [InlineData("Aai:ApiVersion", "32", "Aai:ApiVersion")]
    [InlineData("Aai:CaCertificatesFile", "/nonexistent/onap-ca.pem", "Aai:CaCertificatesFile")]
    [InlineData("Aai:Interval", "00:00:00", "Aai:Interval")]
    public async Task When_an_aai_setting_is_wrong_the_service_does_not_start_and_the_setting_is_named(string key, string? value, string named)
    {
        using var host = rig.Builder((key, value)).Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Password, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_periodic_import_is_asked_for_without_an_aai_the_service_does_not_start()
    {
        using var host = rig.Builder(("Aai:BaseUrl", null), ("Aai:Username", null), ("Aai:Password", null), ("Aai:Periodic", "true")).Build();

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Aai:Periodic", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_aai_settings_are_right_the_service_starts()
    {
        using var host = rig.Builder(("Aai:Periodic", "true"), ("Aai:Interval", "00:05:00")).Build();

        await host.StartAsync();
        await host.StopAsync();
    }
}
