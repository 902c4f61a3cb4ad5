using ImageManager.Distribution.Images;

namespace ImageManager.Distribution.Ownership;

/// <summary>A copy an upload is about to create on a VIM for an image (<see cref="VimCopyLedger.ClaimAllAsync"/>).</summary>
public sealed record VimCopyClaim(DistributableImage Image, string VimId, string VimImageId, Guid DistributionId);
