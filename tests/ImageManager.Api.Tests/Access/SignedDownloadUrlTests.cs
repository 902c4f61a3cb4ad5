using System.Web;
using ImageManager.ServiceDefaults.Access;

namespace ImageManager.Api.Tests.Access;

/// <summary>The download links VIMs follow without credentials: good for one image, until they expire, as signed.</summary>
public sealed class SignedDownloadUrlTests
{
    const string Token = "a-service-token-of-at-least-32-characters";
    static readonly Guid Image = Guid.CreateVersion7();
    static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void When_a_download_link_is_signed_it_is_accepted_until_it_expires()
    {
        var (expires, signature) = Link(Image, Now.AddHours(2), Token);

        Assert.True(SignedDownloadUrl.IsValid(Image, expires, signature, Token, Now));
        Assert.True(SignedDownloadUrl.IsValid(Image, expires, signature, Token, Now.AddHours(2).AddSeconds(-1)));
        Assert.False(SignedDownloadUrl.IsValid(Image, expires, signature, Token, Now.AddHours(2)));
    }

    [Fact]
    public void When_a_link_is_used_for_another_image_or_expiry_or_checked_with_another_token_it_is_refused()
    {
        var (expires, signature) = Link(Image, Now.AddHours(2), Token);
        var later = Now.AddDays(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.False(SignedDownloadUrl.IsValid(Guid.CreateVersion7(), expires, signature, Token, Now));
        Assert.False(SignedDownloadUrl.IsValid(Image, later, signature, Token, Now));
        Assert.False(SignedDownloadUrl.IsValid(Image, expires, signature, Token + "-rotated", Now));
        Assert.False(SignedDownloadUrl.IsValid(Image, expires, null, Token, Now));
        Assert.False(SignedDownloadUrl.IsValid(Image, "soon", signature, Token, Now));
    }

    [Fact]
    public void When_the_service_token_is_rotated_links_signed_with_any_accepted_token_are_accepted_and_no_others()
    {
        const string rotated = Token + "-rotated";
        var (oldExpires, oldSignature) = Link(Image, Now.AddHours(2), Token);
        var (newExpires, newSignature) = Link(Image, Now.AddHours(2), rotated);

        Assert.True(SignedDownloadUrl.IsValid(Image, oldExpires, oldSignature, [rotated, Token], Now));
        Assert.True(SignedDownloadUrl.IsValid(Image, newExpires, newSignature, [rotated, Token], Now));
        Assert.False(SignedDownloadUrl.IsValid(Image, oldExpires, oldSignature, [rotated], Now));
        Assert.False(SignedDownloadUrl.IsValid(Image, oldExpires, oldSignature, [rotated, "yet-another-token-of-at-least-32-chars"], Now));
    }

    [Fact]
    public void When_a_link_names_the_target_it_was_made_for_that_target_is_read_back_and_a_link_naming_another_is_refused()
    {
        var transfer = new DownloadTransfer(Guid.CreateVersion7(), 2, "att_dallas.edge-1");
        var query = HttpUtility.ParseQueryString(SignedDownloadUrl.QueryFor(Image, Now.AddHours(2), Token, transfer));
        var (expires, signature, named) = (query[SignedDownloadUrl.ExpiresParameter], query[SignedDownloadUrl.SignatureParameter], query[SignedDownloadUrl.TransferParameter]);

        Assert.True(SignedDownloadUrl.IsValid(Image, expires, signature, Token, Now, named));
        Assert.Equal(transfer, DownloadTransfer.Parse(named));
        Assert.False(SignedDownloadUrl.IsValid(Image, expires, signature, Token, Now, (transfer with { VimId = "att_dallas.edge-2" }).ToString()));
        Assert.False(SignedDownloadUrl.IsValid(Image, expires, signature, Token, Now, (transfer with { Attempt = 3 }).ToString()));
        Assert.False(SignedDownloadUrl.IsValid(Image, expires, signature, Token, Now)); // the target left out
        var (plainExpires, plainSignature) = Link(Image, Now.AddHours(2), Token);
        Assert.False(SignedDownloadUrl.IsValid(Image, plainExpires, plainSignature, Token, Now, named)); // a target added to a link made without one
        Assert.Null(DownloadTransfer.Parse("not-a-transfer"));
    }

    static (string Expires, string Signature) Link(Guid image, DateTimeOffset expires, string token)
    {
        var query = HttpUtility.ParseQueryString(SignedDownloadUrl.QueryFor(image, expires, token));
        return (query[SignedDownloadUrl.ExpiresParameter]!, query[SignedDownloadUrl.SignatureParameter]!);
    }
}
