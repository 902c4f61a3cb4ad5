namespace ImageManager.Distribution.Recalls;

/// <summary>What a policy does when an image loses its trust or reaches its end of life (<see cref="RecallPolicyOptions"/>).</summary>
public enum RecallPolicyAction
{
    /// <summary>Nothing: an operator decides (<c>POST /api/v1/recalls</c>).</summary>
    None,

    /// <summary>A recall with action <c>deactivate</c>.</summary>
    Deactivate,

    /// <summary>A recall with action <c>remove</c>.</summary>
    Remove,
}
