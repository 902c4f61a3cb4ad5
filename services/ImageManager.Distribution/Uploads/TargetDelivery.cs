using ImageManager.Contracts.Distributions;
using MassTransit;

namespace ImageManager.Distribution.Uploads;

/// <summary>
/// One target's upload as a command brought it: which attempt it is (deferrals do not count), the bus to report on, and
/// how to have it come again after a wait (<see cref="Redeliver"/>, given the deferrals to carry): the command's own
/// redelivery, or, for a target of an <see cref="UploadImageToVims"/>, an <see cref="UploadImageToVim"/> of its own.
/// </summary>
public sealed record TargetDelivery(UploadImageToVim Command, int Attempt, int Deferrals, ConsumeContext Bus, Func<TimeSpan, int, Task> Redeliver);
