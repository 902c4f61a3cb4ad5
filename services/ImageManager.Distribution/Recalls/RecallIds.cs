using System.Security.Cryptography;
using System.Text;

namespace ImageManager.Distribution.Recalls;

/// <summary>
/// Ids that the same facts always give (RFC 9562 version 8: the first bytes of SHA-256 over a namespace and a name; like
/// version 5 without SHA-1), so that a redelivered event
/// or a repeated publish carries the same id: a policy's recall of one event is one recall, and a recall's completion is
/// one message however often it is published. Each use has its own namespace, so no id of one use equals one of another
/// (nor a distribution's own id, which a <c>DistributionCompleted</c> carries as its message id).
/// </summary>
public static class RecallIds
{
    static readonly Guid PolicyNamespace = new("6f1d8c52-0d8e-4b8f-9c55-2f7a3e1b9a01");
    static readonly Guid CompletionNamespace = new("b3a4e0c1-5d2f-4e6a-8f19-7c0d2e4b6a83");

    /// <summary>The recall a policy starts for <paramref name="name"/> (the event and the image, e.g. <c>end-of-life/{image}/{date}</c>).</summary>
    public static Guid OfPolicy(string name) => NameBased(PolicyNamespace, name);

    /// <summary>The message id of the recall's <c>RecallCompleted</c>.</summary>
    public static Guid CompletionMessageOf(Guid recallId) => NameBased(CompletionNamespace, recallId.ToString("D"));

    static Guid NameBased(Guid space, string name)
    {
        Span<byte> input = stackalloc byte[16];
        space.TryWriteBytes(input, bigEndian: true, out _);
        var hash = SHA256.HashData([.. input, .. Encoding.UTF8.GetBytes(name)]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
