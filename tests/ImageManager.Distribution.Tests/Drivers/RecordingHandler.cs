using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// Records each request a driver sends (<c>METHOD path?query</c>), so a test can see which path of the protocol it took;
/// and, for Keystone, counts logins (with their methods), remembers the last token shown to a service, and where the
/// other requests went and how they were answered.
/// </summary>
public sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    readonly ConcurrentQueue<string> _requests = new();
    int _logins;

    public IReadOnlyList<string> Requests => [.. _requests];

    public void Clear() => _requests.Clear();

    public int Logins => Volatile.Read(ref _logins);

    public ConcurrentQueue<string> LoginMethods { get; } = new();

    public string? LastToken { get; private set; }

    /// <summary>Every answer but Keystone's to a login.</summary>
    public ConcurrentQueue<(Uri Uri, HttpStatusCode Status)> ServiceAnswers { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue($"{request.Method} {request.RequestUri!.PathAndQuery}");
        var login = request.Method == HttpMethod.Post && request.RequestUri.AbsolutePath.EndsWith("/auth/tokens", StringComparison.Ordinal);
        if (login)
        {
            Interlocked.Increment(ref _logins);
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            LoginMethods.Enqueue(string.Join(',', body!["auth"]!["identity"]!["methods"]!.AsArray().Select(m => m!.GetValue<string>())));
        }
        else if (request.Headers.TryGetValues("X-Auth-Token", out var tokens))
        {
            LastToken = tokens.Single();
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (!login)
        {
            ServiceAnswers.Enqueue((request.RequestUri, response.StatusCode));
        }

        return response;
    }
}
