using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ImageManager.Api.Downstream;

/// <summary>
/// The Api's calls to its services: a read (GET, HEAD) that gets no answer or a 5xx is asked again, twice at most, half
/// a second apart, so that callers do not see a replica or a database failing over (the HA fault test: killing a Galera
/// node or the PostgreSQL primary failed 46 and 76 of the probe's reads, every run of failures shorter than 0.6 s).
/// Writes are never repeated here: a write that may have been done is for its caller to send again.
/// </summary>
public static class DownstreamReadRetry
{
    public const string Name = "downstream-reads";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(500),
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
        };
        retry.DisableForUnsafeHttpMethods();
        pipeline.AddRetry(retry);
    }
}
