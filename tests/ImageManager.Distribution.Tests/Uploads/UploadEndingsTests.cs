using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Uploads;
using ImageManager.Distribution.Vims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageManager.Distribution.Tests.Uploads;

/// <summary>The ends of uploads written together on the real PostgreSQL: each upload gets its own answer.</summary>
public sealed class UploadEndingsTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>
{
    static readonly DateTimeOffset Before = DateTimeOffset.UtcNow.AddHours(-1);
    readonly string _run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task When_many_uploads_end_at_once_each_made_copy_is_present_and_each_vim_answered_except_a_copy_a_removal_took_over()
    {
        var failing = new Vim { Id = $"failing-{_run}", Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/"), ConsecutiveFailures = 3, LastError = "503", HealthReason = "refused" };
        var fresh = new Vim { Id = $"fresh-{_run}", Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/") };
        await using (var db = new DistributionDbContext(database.Options))
        {
            db.Vims.AddRange(failing, fresh);
            db.VimCopies.AddRange(Enumerable.Range(0, 60).Select(i => Copy(i % 2 == 0 ? failing.Id : fresh.Id, $"copy-{i}", VimCopyStates.Creating)));
            db.VimCopies.Add(Copy(fresh.Id, "taken-over", VimCopyStates.Removing));
            await db.SaveChangesAsync();
        }

        await using var running = await new StartedService<UploadEndings>(new UploadEndings(database.Factory(), TimeProvider.System, NullLogger<UploadEndings>.Instance)).StartAsync();
        var endings = running.Service;
        var answers = await Task.WhenAll(Enumerable.Range(0, 60)
            .Select(i => endings.RecordAsync(i % 2 == 0 ? failing : fresh, $"copy-{i}", CancellationToken.None))
            .Append(endings.RecordAsync(fresh, "taken-over", CancellationToken.None)));

        Assert.Equal(Enumerable.Repeat(true, 60).Append(false), answers);
        await using var check = new DistributionDbContext(database.Options);
        var states = await check.VimCopies.Where(c => c.VimId == failing.Id || c.VimId == fresh.Id).ToDictionaryAsync(c => c.VimImageId, c => c.State);
        Assert.All(Enumerable.Range(0, 60), i => Assert.Equal(VimCopyStates.Present, states[$"copy-{i}"]));
        Assert.Equal(VimCopyStates.Removing, states["taken-over"]);
        var vims = await check.Vims.AsNoTracking().Where(v => v.Id == failing.Id || v.Id == fresh.Id).ToListAsync();
        Assert.All(vims, v => Assert.Equal((0, null, null), (v.ConsecutiveFailures, v.LastError, v.HealthReason)));
        Assert.All(vims, v => Assert.True(v.LastAnsweredAt > Before));
    }

    [Fact]
    public async Task When_an_upload_found_the_image_on_a_vim_that_answered_before_nothing_is_written()
    {
        var known = new Vim { Id = $"known-{_run}", Type = "openstack", Endpoint = new Uri("http://127.0.0.1:9/"), LastAnsweredAt = Before };
        var endings = new UploadEndings(database.Factory(), TimeProvider.System, NullLogger<UploadEndings>.Instance); // not started: a write would never end

        var answer = await endings.RecordAsync(known, madeCopy: null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(answer);
    }

    static VimCopy Copy(string vimId, string vimImageId, string state) => new()
    {
        VimId = vimId,
        VimImageId = vimImageId,
        State = state,
        CreatedByImageManager = true,
        CreatedAt = Before,
        UpdatedAt = Before,
    };
}
