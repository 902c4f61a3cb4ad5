namespace ImageManager.Oci;

/// <summary>The part of an image config that names the layers: <c>rootfs.diff_ids</c>.</summary>
public sealed record ImageConfig(ImageRootFs? RootFs);
