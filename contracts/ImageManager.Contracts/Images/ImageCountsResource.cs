namespace ImageManager.Contracts.Images;

/// <summary>
/// The images a caller sees, counted by status, and their image-VIM locations that are failed or drifted (the
/// catalogue's read model of where images are): the numbers of the portal's overview, in grouped queries.
/// </summary>
public sealed record ImageCountsResource(int Total, IReadOnlyDictionary<string, int> ByStatus, int FailedLocations, int DriftedLocations);
