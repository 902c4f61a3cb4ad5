using ImageManager.Contracts.Distributions;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Images;
using ImageManager.Distribution.Ownership;
using ImageManager.Distribution.Persistence;
using ImageManager.Distribution.Tests.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageManager.Distribution.Tests.Ownership;

/// <summary>Claims written together on the real PostgreSQL answer as each would alone (<see cref="VimCopyLedgerTests"/>).</summary>
public sealed class VimCopyClaimBatchesTests(DistributionDatabase database) : IClassFixture<DistributionDatabase>, IAsyncLifetime
{
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    readonly string _run = Guid.NewGuid().ToString("N")[..8];
    StartedService<VimCopyClaimBatches> _running = null!;

    VimCopyClaimBatches Claims => _running.Service;

    public async Task InitializeAsync() =>
        _running = await new StartedService<VimCopyClaimBatches>(new VimCopyClaimBatches(database.Factory(), TimeProvider.System, NullLogger<VimCopyClaimBatches>.Instance)).StartAsync();

    public Task DisposeAsync() => _running.DisposeAsync().AsTask();

    [Fact]
    public async Task When_many_uploads_claim_at_once_each_copy_is_recorded_as_created_and_a_leaving_image_is_refused_alone()
    {
        var image = await ImageAsync("tenant-a");
        var leaving = await ImageAsync("tenant-a");
        await VimCopyLedger.WithdrawAsync(Db(), leaving.Id, Now, default);

        var claims = Enumerable.Range(0, 50).Select(i => Claims.ClaimAsync(image, Vim(i), $"copy-{i}", Guid.NewGuid(), default)).ToList();
        var refused = Claims.ClaimAsync(leaving, Vim(0), "copy-of-leaving", Guid.NewGuid(), default);

        Assert.All(await Task.WhenAll(claims), origin => Assert.Equal(VimCopyOrigins.Created, origin));
        await Assert.ThrowsAsync<ImageWithdrawnException>(() => refused);
        var copies = await Db().VimCopies.Where(c => c.VimId.StartsWith(_run)).ToListAsync();
        Assert.Equal(50, copies.Count);
        Assert.All(copies, c => Assert.Equal((VimCopyStates.Creating, image.Id, "tenant-a", true), (c.State, c.CreatedForImageId, c.Owner, c.CreatedByImageManager)));
        Assert.Equal(50, await Db().VimCopyReferences.CountAsync(r => r.ImageId == image.Id));
        Assert.Equal(0, await Db().VimCopyReferences.CountAsync(r => r.ImageId == leaving.Id));
    }

    [Fact]
    public async Task When_a_claimed_copy_is_another_images_it_keeps_its_maker_and_the_claim_relies_on_it_as_found()
    {
        var maker = await ImageAsync("tenant-a");
        var other = await ImageAsync("tenant-a");
        await VimCopyLedger.ClaimAsync(Db(), maker, Vim(1), "shared", Guid.NewGuid(), Now, default);

        var origins = await Task.WhenAll(Claims.ClaimAsync(other, Vim(1), "shared", Guid.NewGuid(), default), Claims.ClaimAsync(maker, Vim(1), "shared", Guid.NewGuid(), default));

        Assert.Equal([VimCopyOrigins.Found, VimCopyOrigins.Created], origins);
        Assert.Equal(maker.Id, (await Db().VimCopies.SingleAsync(c => c.VimId == Vim(1))).CreatedForImageId);
    }

    [Fact]
    public async Task When_an_image_claims_again_a_copy_a_removal_took_it_is_made_anew()
    {
        var image = await ImageAsync("tenant-a");
        await VimCopyLedger.ClaimAsync(Db(), image, Vim(2), "again", Guid.NewGuid(), Now, default);
        await VimCopyLedger.ConfirmAsync(Db(), [(Vim(2), "again")], Now, default);
        Assert.True(Assert.Single(await VimCopyLedger.ReleaseAsync(Db(), image.Id, Vim(2), Now, default)).Delete);
        await VimCopyLedger.RemovedAsync(Db(), Vim(2), "again", Now, default);

        var origin = await Claims.ClaimAsync(image, Vim(2), "again", Guid.NewGuid(), default);

        Assert.Equal(VimCopyOrigins.Created, origin);
        Assert.Equal(VimCopyStates.Creating, (await Db().VimCopies.SingleAsync(c => c.VimId == Vim(2))).State);
    }

    [Fact]
    public async Task When_one_claim_of_a_transaction_cannot_be_made_only_its_upload_fails()
    {
        var image = await ImageAsync("tenant-a");

        var claims = Enumerable.Range(10, 20).Select(i => Claims.ClaimAsync(image, Vim(i), $"copy-{i}", Guid.NewGuid(), default)).ToList();
        var impossible = Claims.ClaimAsync(image, Vim(3), new string('x', 300), Guid.NewGuid(), default); // longer than vim_image_id takes

        Assert.All(await Task.WhenAll(claims), origin => Assert.Equal(VimCopyOrigins.Created, origin));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => impossible);
        Assert.Equal(20, await Db().VimCopies.CountAsync(c => c.VimId.StartsWith(_run)));
    }

    string Vim(int i) => $"{_run}-vim-{i}";

    DistributionDbContext Db() => new(database.Options);

    Task<DistributableImage> ImageAsync(string owner) => database.AddImageAsync(owner);
}
