namespace ImageManager.VimSimulator;

/// <summary>A user of <see cref="SimulatedKeystone"/>, a member of one project of the same domain.</summary>
sealed record SimulatedKeystoneUser(string Id, string Name, string Domain, string Password, string Project)
{
    public string ProjectId { get; } = Guid.NewGuid().ToString("N");
}
