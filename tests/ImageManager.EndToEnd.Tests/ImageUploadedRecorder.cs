using System.Collections.Concurrent;
using ImageManager.Contracts.Images;
using MassTransit;

namespace ImageManager.EndToEnd.Tests;

/// <summary>Listens on the bus like any other subscriber and keeps every <see cref="ImageUploaded"/> it sees.</summary>
public sealed class ImageUploadedRecorder : IConsumer<ImageUploaded>
{
    public static ConcurrentQueue<ImageUploaded> Seen { get; } = new();

    public Task Consume(ConsumeContext<ImageUploaded> context)
    {
        Seen.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}
