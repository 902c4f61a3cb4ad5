using System.Collections.Specialized;
using System.Text.Json;
using Quartz.Spi;

namespace ImageManager.Distribution.Scheduling;

/// <summary>
/// Quartz's job store needs a serializer; ours store job data as string properties only, so this one writes
/// string maps as JSON and refuses anything else. (Quartz's System.Text.Json package is not served here for 3.x.)
/// </summary>
public sealed class JobDataSerializer : IObjectSerializer
{
    public void Initialize()
    {
    }

    public byte[] Serialize<T>(T obj)
        where T : class => obj switch
        {
            NameValueCollection properties => JsonSerializer.SerializeToUtf8Bytes(properties.AllKeys.ToDictionary(k => k!, k => properties[k])),
            _ => throw new NotSupportedException($"Only string job data is stored; got {typeof(T).Name}."),
        };

    public T? DeSerialize<T>(byte[] data)
        where T : class
    {
        if (typeof(T) != typeof(NameValueCollection))
        {
            throw new NotSupportedException($"Only string job data is stored; asked for {typeof(T).Name}.");
        }

        var properties = new NameValueCollection();
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string?>>(data) ?? [])
        {
            properties[key] = value;
        }

        return (T)(object)properties;
    }
}
