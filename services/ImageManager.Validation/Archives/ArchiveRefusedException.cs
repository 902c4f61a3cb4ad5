namespace ImageManager.Validation.Archives;

/// <summary>
/// Stops a walk through an archive the moment a rule is broken, even from inside a stream that a tar or zip reader is
/// reading; <see cref="ArchiveReader"/> turns it into the reason. The message is written for a person.
/// </summary>
public sealed class ArchiveRefusedException : Exception
{
    public ArchiveRefusedException()
    {
    }

    public ArchiveRefusedException(string message)
        : base(message)
    {
    }

    public ArchiveRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
