namespace ImageManager.Api.Downstream;

/// <summary>An owner's answer: the value when it said yes, else its status and problem text to pass on.</summary>
public sealed record DownstreamAnswer<T>(T? Value, int StatusCode, string? Detail)
    where T : class
{
    public bool Succeeded => Value is not null;
}
