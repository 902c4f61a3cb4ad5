using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ImageManager.Distribution.Tests.Ownership;

/// <summary>The ownership rules on the real PostgreSQL, including what happens when two parties act on one copy at once.</summary>
public sealed class VimCopyLedgerTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>
{
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    readonly string _vim = $"vim-{Guid.NewGuid():N}";

    [Fact]
    public async Task When_a_copy_nobody_recorded_is_offered_it_is_adopted_as_found_and_never_deleted()
    {
        var image = await ImageAsync("tenant-a");
        await using var db = Db();

        var chosen = await VimCopyLedger.ChooseExistingAsync(db, image, _vim, ["operators-own"], Guid.NewGuid(), Now, default);
        var releases = await VimCopyLedger.ReleaseAsync(Db(), image.Id, _vim, Now, default);

        Assert.Equal(("operators-own", VimCopyOrigins.Found), chosen);
        var release = Assert.Single(releases);
        Assert.False(release.Delete);
        Assert.Contains("did not create it", release.KeptBecause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_same_bytes_are_offered_another_owners_copy_is_never_chosen_but_the_same_owners_is()
    {
        var ofA = await ImageAsync("tenant-a");
        var alsoOfA = await ImageAsync("tenant-a");
        var ofB = await ImageAsync("tenant-b");
        await VimCopyLedger.ClaimAsync(Db(), ofA, _vim, "copy-of-a", Guid.NewGuid(), Now, default);
        await VimCopyLedger.ConfirmAsync(Db(), [(_vim, "copy-of-a")], Now, default);

        var forB = await VimCopyLedger.ChooseExistingAsync(Db(), ofB, _vim, ["copy-of-a"], Guid.NewGuid(), Now, default);
        var forA = await VimCopyLedger.ChooseExistingAsync(Db(), alsoOfA, _vim, ["copy-of-a"], Guid.NewGuid(), Now, default);

        Assert.Null(forB);
        Assert.Equal(("copy-of-a", VimCopyOrigins.Found), forA);
    }

    [Fact]
    public async Task When_two_images_let_go_of_their_shared_copy_at_once_exactly_one_deletes_it()
    {
        var first = await ImageAsync("tenant-a");
        var second = await ImageAsync("tenant-a");
        await VimCopyLedger.ClaimAsync(Db(), first, _vim, "shared", Guid.NewGuid(), Now, default);
        await VimCopyLedger.ConfirmAsync(Db(), [(_vim, "shared")], Now, default);
        await VimCopyLedger.ChooseExistingAsync(Db(), second, _vim, ["shared"], Guid.NewGuid(), Now, default);

        var both = await Task.WhenAll(
            Task.Run(() => VimCopyLedger.ReleaseAsync(Db(), first.Id, _vim, Now, default)),
            Task.Run(() => VimCopyLedger.ReleaseAsync(Db(), second.Id, _vim, Now, default)));

        var decisions = both.SelectMany(r => r).ToList();
        Assert.Equal(2, decisions.Count);
        Assert.Single(decisions, d => d.Delete);
        Assert.Single(decisions, d => !d.Delete && d.KeptBecause!.Contains("1 other catalogue image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_a_copy_is_being_removed_no_image_starts_relying_on_it()
    {
        var owner = await ImageAsync("tenant-a");
        var latecomer = await ImageAsync("tenant-a");
        await VimCopyLedger.ClaimAsync(Db(), owner, _vim, "going", Guid.NewGuid(), Now, default);
        await VimCopyLedger.ConfirmAsync(Db(), [(_vim, "going")], Now, default);
        Assert.True(Assert.Single(await VimCopyLedger.ReleaseAsync(Db(), owner.Id, _vim, Now, default)).Delete);

        var chosen = await VimCopyLedger.ChooseExistingAsync(Db(), latecomer, _vim, ["going"], Guid.NewGuid(), Now, default);

        Assert.Null(chosen);
    }

    [Fact]
    public async Task When_an_image_is_withdrawn_no_copy_is_claimed_or_adopted_and_an_upload_under_way_cannot_confirm()
    {
        var image = await ImageAsync("tenant-a");
        await VimCopyLedger.ClaimAsync(Db(), image, _vim, "under-way", Guid.NewGuid(), Now, default);
        await VimCopyLedger.WithdrawAsync(Db(), image.Id, Now, default);
        Assert.True(Assert.Single(await VimCopyLedger.ReleaseAsync(Db(), image.Id, _vim, Now, default)).Delete);

        await Assert.ThrowsAsync<ImageWithdrawnException>(() => VimCopyLedger.ClaimAsync(Db(), image, _vim, "another", Guid.NewGuid(), Now, default));
        await Assert.ThrowsAsync<ImageWithdrawnException>(() => VimCopyLedger.ChooseExistingAsync(Db(), image, _vim, ["found"], Guid.NewGuid(), Now, default));
        Assert.Empty(await VimCopyLedger.ConfirmAsync(Db(), [(_vim, "under-way")], Now, default));
    }

    [Fact]
    public async Task When_the_vim_refuses_a_removal_the_copy_stays_recorded_and_a_retry_deletes_it()
    {
        var image = await ImageAsync("tenant-a");
        await VimCopyLedger.ClaimAsync(Db(), image, _vim, "protected", Guid.NewGuid(), Now, default);
        await VimCopyLedger.ConfirmAsync(Db(), [(_vim, "protected")], Now, default);
        Assert.True(Assert.Single(await VimCopyLedger.ReleaseAsync(Db(), image.Id, _vim, Now, default)).Delete);

        await VimCopyLedger.RemovalRefusedAsync(Db(), _vim, "protected", "403: image is protected", Now, default);

        var copy = await Db().VimCopies.SingleAsync(c => c.VimId == _vim);
        Assert.Equal((VimCopyStates.Present, "403: image is protected"), (copy.State, copy.LastError));
        Assert.True(Assert.Single(await VimCopyLedger.ReleaseAsync(Db(), image.Id, _vim, Now, default)).Delete);
        await VimCopyLedger.RemovedAsync(Db(), _vim, "protected", Now, default);
        Assert.Empty(await VimCopyLedger.VimsOfAsync(Db(), image.Id, default));
        Assert.Equal(VimCopyStates.Removed, (await Db().VimCopies.SingleAsync(c => c.VimId == _vim)).State);
    }

    DistributionDbContext Db() => new(database.Options);

    Task<DistributableImage> ImageAsync(string owner) => database.AddImageAsync(owner);
}
