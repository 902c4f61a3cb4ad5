namespace ImageManager.Distribution.Scheduling;

/// <summary>
/// Stands for a scheduled message whose serialized envelope is sent as stored; its own fields are never serialized
/// (see <see cref="StoredEnvelopeSerializer"/>).
/// </summary>
public sealed class ScheduledEnvelope;
