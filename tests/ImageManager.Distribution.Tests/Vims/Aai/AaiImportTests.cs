using ImageManager.Contracts.Vims;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.Distribution.Vims.Aai;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageManager.Distribution.Tests.Vims.Aai;

/// <summary>The import against the A&amp;AI simulator and a real database: paging, an empty or unreachable A&amp;AI, and whose VIMs it keeps up to date.</summary>
public sealed class AaiImportTests(AaiImportRig rig) : IClassFixture<AaiImportRig>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        rig.Aai.Clear();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    static string Owner() => $"owner-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task When_aai_pages_its_regions_every_page_is_read_once_and_every_region_imported()
    {
        var owner = Owner();
        foreach (var n in Enumerable.Range(1, 5))
        {
            rig.Aai.Put(AaiImportRig.Region(owner, $"r{n}"));
        }

        using var host = rig.Builder(("Aai:PageSize", "2")).Build();
        var asked = rig.Aai.Requests.Count;

        var report = await AaiImportRig.ImportAsync(host);

        Assert.Equal((5, 5), (report.Regions, report.Created));
        Assert.Equal(["1", "2", "3"], rig.Aai.Requests.Skip(asked).Select(r => System.Web.HttpUtility.ParseQueryString(new Uri(rig.Aai.Address, r).Query)["resultIndex"]));
        Assert.All(rig.Aai.Requests.Skip(asked), r => Assert.Contains("resultSize=2", r, StringComparison.Ordinal));
        var vim = (await rig.FindAsync($"{owner}_r5"))!;
        Assert.Equal(("openstack", "https://keystone.example.net:5000/v3", "r5"), (vim.Type, vim.IdentityUrl!.AbsoluteUri, vim.Region));
        var credentials = host.Services.GetRequiredService<VimCredentialProtector>().Unprotect(vim.ProtectedCredentials)!;
        Assert.Equal(new VimCredentials { Username = "onap", Password = "esr-password", UserDomain = "Default", ProjectName = "admin", ProjectDomain = "Default" }, credentials);
    }

    [Fact]
    public async Task When_aai_has_no_cloud_regions_its_not_found_is_an_empty_inventory()
    {
        using var host = rig.Builder().Build();

        var report = await AaiImportRig.ImportAsync(host);

        Assert.Equal((0, 0, 0, 0), (report.Regions, report.Created, report.Updated, report.Unchanged));
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public async Task When_aai_cannot_be_reached_the_import_fails_naming_where_it_looked()
    {
        using var host = rig.Builder(("Aai:BaseUrl", "http://127.0.0.1:9/")).Build();

        var failure = await Assert.ThrowsAsync<AaiUnavailableException>(() => AaiImportRig.ImportAsync(host));

        Assert.Contains("http://127.0.0.1:9/aai/v32/cloud-infrastructure/cloud-regions cannot be reached", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_vim_of_the_same_id_was_registered_otherwise_it_is_left_alone_and_the_region_reported()
    {
        var owner = Owner();
        rig.Aai.Put(AaiImportRig.Region(owner, "by-hand"));
        await rig.Database.RegisterVimsAsync([$"{owner}_by-hand"]);
        var before = await rig.FindAsync($"{owner}_by-hand");
        using var host = rig.Builder().Build();

        var report = await AaiImportRig.ImportAsync(host);

        Assert.Equal(0, report.Created + report.Updated + report.Unchanged);
        Assert.Contains("'aai' tag", Assert.Single(report.Skipped, s => s.VimId == $"{owner}_by-hand").Reason, StringComparison.Ordinal);
        Assert.Equal(before!.Endpoint, (await rig.FindAsync($"{owner}_by-hand"))!.Endpoint);
    }

    [Fact]
    public async Task When_an_operator_tuned_an_imported_vim_the_import_keeps_what_aai_does_not_hold()
    {
        var owner = Owner();
        rig.Aai.Put(AaiImportRig.Region(owner, "tuned"));
        using var host = rig.Builder().Build();
        await AaiImportRig.ImportAsync(host);
        await using (var db = new DistributionDbContext(rig.Database.Options))
        {
            await db.Vims.Where(v => v.Id == $"{owner}_tuned").ExecuteUpdateAsync(set => set
                .SetProperty(v => v.MaxConcurrentUploads, 9)
                .SetProperty(v => v.BandwidthLimitBytesPerSecond, 1_048_576)
                .SetProperty(v => v.UploadMode, VimUploadModes.WebDownload)
                .SetProperty(v => v.Tags, new List<string> { "aai", "canary" }));
        }

        var report = await AaiImportRig.ImportAsync(host);

        var vim = (await rig.FindAsync($"{owner}_tuned"))!;
        Assert.Equal((0, 0, 1), (report.Created, report.Updated, report.Unchanged));
        Assert.Equal((9, 1_048_576L, VimUploadModes.WebDownload), (vim.MaxConcurrentUploads, vim.BandwidthLimitBytesPerSecond!.Value, vim.UploadMode));
        Assert.Equal(["aai", "canary"], vim.Tags);
    }
}
