namespace ImageManager.Contracts.Audit;

/// <summary>
/// A request to change something reached the Api and was answered: who asked, what, when, from where, and how it ended.
/// Made from the request line, the caller and the status only: never a body, a header value or a query string, so
/// never a secret.
/// </summary>
public record ChangeAudited
{
    public required Guid AuditId { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary><c>key:{id}</c>, <c>token:{sub}</c>, <c>bootstrap-admin</c>, or <c>anonymous</c> when no credential held.</summary>
    public required string Caller { get; init; }
    public string? Tenant { get; init; }

    /// <summary>For example <c>image.create</c>, <c>image.file.upload</c>, <c>vim.update</c>, <c>distribution.cancel</c>, <c>api-key.revoke</c>.</summary>
    public required string Action { get; init; }
    public required string Method { get; init; }

    /// <summary>The path without its query string.</summary>
    public required string Path { get; init; }

    /// <summary>The image, VIM, distribution, key or certificate acted on, when the request names or creates one.</summary>
    public string? ResourceId { get; init; }

    /// <summary>The client's address as the Api saw it.</summary>
    public required string Source { get; init; }
    public required int Status { get; init; }

    /// <summary><c>succeeded</c> (2xx), <c>refused</c> (401, 403), <c>rejected</c> (other 4xx) or <c>failed</c> (5xx).</summary>
    public required string Outcome { get; init; }
}
