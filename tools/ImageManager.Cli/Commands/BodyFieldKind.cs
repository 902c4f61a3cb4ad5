namespace ImageManager.Cli.Commands;

public enum BodyFieldKind
{
    Text,
    Number,
    Boolean,
    /// <summary>A repeatable option, sent as a JSON array.</summary>
    List,
    /// <summary>A repeatable <c>key=value</c> option, sent as a JSON object.</summary>
    Map,
}
