namespace ImageManager.Cli.Output;

public enum OutputFormat
{
    Table,
    Json,
}
