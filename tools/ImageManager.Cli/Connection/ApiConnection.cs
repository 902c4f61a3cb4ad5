namespace ImageManager.Cli.Connection;

/// <summary>Where the Api is and the credential to present (an API key or a JWT); never printed.</summary>
public sealed record ApiConnection(Uri BaseAddress, string? Credential)
{
    public override string ToString() => $"ApiConnection {{ BaseAddress = {BaseAddress}, Credential = {(Credential is null ? "none" : "***")} }}";
}
