namespace ImageManager.Distribution.Recalls;

/// <summary>
/// Section <c>Recalls</c>: whether Image Manager recalls an image by itself when the Catalog says its signer's trust was
/// withdrawn (<c>ImageTrustWithdrawn</c>) or its end of life passed (<c>ImageReachedEndOfLife</c>). Off by default: taking
/// images off thousands of VIMs is an operator's call unless they said so here.
/// </summary>
public sealed class RecallPolicyOptions
{
    public const string Section = "Recalls";

    public RecallPolicyAction OnTrustWithdrawn { get; set; } = RecallPolicyAction.None;

    public RecallPolicyAction OnEndOfLife { get; set; } = RecallPolicyAction.None;
}
