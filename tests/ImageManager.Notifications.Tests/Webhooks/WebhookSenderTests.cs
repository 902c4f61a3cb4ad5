using System.Net;
using ImageManager.Notifications.Webhooks;
using ImageManager.Testing;
using Microsoft.Extensions.Options;

namespace ImageManager.Notifications.Tests.Webhooks;

/// <summary>One attempt against a real loopback server: what the subscriber gets, and what each failure is recorded as.</summary>
public sealed class WebhookSenderTests
{
    static readonly byte[] Body = """{"specversion":"1.0","id":"e1","type":"org.onap.imagemanager.image.catalogued"}"""u8.ToArray();

    [Fact]
    public async Task When_the_subscriber_answers_2xx_the_event_is_delivered_with_the_signature_and_delivery_headers()
    {
        var seen = new TaskCompletionSource<(string? Signature, string? Delivery, string? Attempt, string? ContentType)>();
        using var server = new LoopbackHttpServer(context =>
        {
            seen.TrySetResult((context.Request.Headers[WebhookSignature.Header], context.Request.Headers[WebhookSender.DeliveryHeader],
                context.Request.Headers[WebhookSender.AttemptHeader], context.Request.ContentType));
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        var deliveryId = Guid.NewGuid();

        var outcome = await Sender(allowPrivate: true).SendAsync(server.Address.ToString(), "secret-secret-16", deliveryId, 2, Body, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome(true, 202, null), outcome);
        var (signature, delivery, attempt, contentType) = await seen.Task;
        Assert.Equal(WebhookSignature.Of("secret-secret-16", Body), signature);
        Assert.Equal(deliveryId.ToString(), delivery);
        Assert.Equal("2", attempt);
        Assert.StartsWith("application/cloudevents+json", contentType);
    }

    [Fact]
    public async Task When_the_subscriber_answers_an_error_its_status_and_what_it_said_are_recorded()
    {
        using var server = Answering(HttpStatusCode.ServiceUnavailable, "queue full\nretry later");

        var outcome = await Sender(allowPrivate: true).SendAsync(server.Address.ToString(), "secret-secret-16", Guid.NewGuid(), 1, Body, CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Equal(503, outcome.Status);
        Assert.Equal("The subscriber answered 503 Service Unavailable: queue full retry later.", outcome.Error);
    }

    [Fact]
    public async Task When_the_subscriber_redirects_the_redirect_is_not_followed_and_the_error_says_so()
    {
        using var server = new LoopbackHttpServer(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.RedirectLocation = "http://169.254.169.254/latest/meta-data";
            return Task.CompletedTask;
        });

        var outcome = await Sender(allowPrivate: true).SendAsync(server.Address.ToString(), "secret-secret-16", Guid.NewGuid(), 1, Body, CancellationToken.None);

        Assert.Equal(302, outcome.Status);
        Assert.Contains("redirects are not followed", outcome.Error);
    }

    [Fact]
    public async Task When_the_subscriber_is_too_slow_the_sender_gives_up_at_the_timeout_and_says_so()
    {
        using var server = new LoopbackHttpServer(async context => await Task.Delay(TimeSpan.FromSeconds(5)));

        var outcome = await Sender(allowPrivate: true, timeout: TimeSpan.FromMilliseconds(200))
            .SendAsync(server.Address.ToString(), "secret-secret-16", Guid.NewGuid(), 1, Body, CancellationToken.None);

        Assert.Equal(new DeliveryOutcome(false, null, "No answer within 0.2 s (Webhooks:DeliveryTimeout)."), outcome);
    }

    [Fact]
    public async Task When_the_address_is_private_and_that_is_not_allowed_no_connection_is_made()
    {
        var requests = 0;
        using var server = new LoopbackHttpServer(context =>
        {
            Interlocked.Increment(ref requests);
            return Task.CompletedTask;
        });
        var url = new UriBuilder(server.Address) { Host = "localhost" }.Uri.ToString(); // a name, checked where it resolves

        var outcome = await Sender(allowPrivate: false).SendAsync(url, "secret-secret-16", Guid.NewGuid(), 1, Body, CancellationToken.None);

        Assert.False(outcome.Delivered);
        Assert.Contains("loopback or private", outcome.Error);
        Assert.Equal(0, Volatile.Read(ref requests));
    }

    [Fact]
    public async Task When_nothing_listens_the_error_records_that_the_subscriber_could_not_be_reached()
    {
        string url;
        using (var server = Answering(HttpStatusCode.OK, ""))
        {
            url = server.Address.ToString();
        }

        var outcome = await Sender(allowPrivate: true).SendAsync(url, "secret-secret-16", Guid.NewGuid(), 1, Body, CancellationToken.None);

        Assert.Null(outcome.Status);
        Assert.StartsWith("Could not reach the subscriber: ", outcome.Error);
    }

    static LoopbackHttpServer Answering(HttpStatusCode status, string text) => new(async context =>
    {
        context.Response.StatusCode = (int)status;
        await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
    });

    static WebhookSender Sender(bool allowPrivate, TimeSpan? timeout = null)
    {
        var options = new WebhookOptions { AllowPrivateAddresses = allowPrivate, DeliveryTimeout = timeout ?? TimeSpan.FromSeconds(5) };
        return new WebhookSender(new HttpClient(WebhookSender.CreateHandler(options)) { Timeout = Timeout.InfiniteTimeSpan }, Options.Create(options));
    }
}
