using System.Net;
using System.Net.Http.Headers;

namespace ImageManager.Cli.Connection;

/// <summary>A successful answer of the Api: its status, headers and body as sent (the JSON printed by <c>--output json</c>).</summary>
public sealed record ApiAnswer(HttpStatusCode StatusCode, HttpResponseHeaders Headers, string Body);
