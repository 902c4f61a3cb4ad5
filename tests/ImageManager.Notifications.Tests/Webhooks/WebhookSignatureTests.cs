using System.Text;
using ImageManager.Notifications.Webhooks;

namespace ImageManager.Notifications.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void When_a_body_is_signed_the_signature_is_the_hex_hmac_sha256_of_it_keyed_with_the_secret() =>
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            WebhookSignature.Of("Jefe", Encoding.UTF8.GetBytes("what do ya want for nothing?")));

    [Fact]
    public void When_one_byte_of_the_body_changes_the_signature_changes() =>
        Assert.NotEqual(WebhookSignature.Of("secret-secret-16", "{\"a\":1}"u8), WebhookSignature.Of("secret-secret-16", "{\"a\":2}"u8));
}
