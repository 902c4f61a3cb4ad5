using System.Numerics;
using System.Security.Cryptography;

namespace ImageManager.Validation.Signatures;

/// <summary>
/// RSASSA-PSS verification (RFC 8017, 8.1.2 and 9.1.2) that accepts any salt length. Glance's signers (python
/// cryptography with <c>PSS.MAX_LENGTH</c>) use the longest salt the key allows, while .NET's own verifier only
/// accepts a salt as long as the digest; so the encoding is checked here, on the public key alone.
/// </summary>
public static class RsaPssVerification
{
    public static bool Verify(RSAParameters publicKey, byte[] messageHash, byte[] signature, HashAlgorithmName hashAlgorithm)
    {
        var modulus = new BigInteger(publicKey.Modulus, isUnsigned: true, isBigEndian: true);
        var exponent = new BigInteger(publicKey.Exponent, isUnsigned: true, isBigEndian: true);
        if (signature.Length != publicKey.Modulus!.Length)
        {
            return false;
        }

        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (s >= modulus)
        {
            return false;
        }

        var modulusBits = (int)modulus.GetBitLength();
        var encodedBits = modulusBits - 1;
        var encodedLength = (encodedBits + 7) / 8;
        var message = BigInteger.ModPow(s, exponent, modulus).ToByteArray(isUnsigned: true, isBigEndian: true);
        if (message.Length > encodedLength)
        {
            return false;
        }

        var encoded = new byte[encodedLength];
        message.CopyTo(encoded, encodedLength - message.Length);
        return VerifyEncoding(encoded, encodedBits, messageHash, hashAlgorithm);
    }

    /// <summary>EMSA-PSS-VERIFY with the salt length recovered from the encoding.</summary>
    static bool VerifyEncoding(byte[] encoded, int encodedBits, byte[] messageHash, HashAlgorithmName hashAlgorithm)
    {
        var hashLength = messageHash.Length;
        if (encoded.Length < hashLength + 2 || encoded[^1] != 0xBC)
        {
            return false;
        }

        var maskedDbLength = encoded.Length - hashLength - 1;
        var unusedBits = (8 * encoded.Length) - encodedBits;
        var topMask = (byte)(0xFF >> unusedBits);
        if ((encoded[0] & ~topMask) != 0)
        {
            return false;
        }

        var h = encoded.AsSpan(maskedDbLength, hashLength).ToArray();
        var db = Mgf1(h, maskedDbLength, hashAlgorithm);
        for (var i = 0; i < maskedDbLength; i++)
        {
            db[i] ^= encoded[i];
        }

        db[0] &= topMask;
        var separator = Array.FindIndex(db, b => b != 0);
        if (separator < 0 || db[separator] != 0x01)
        {
            return false;
        }

        var salt = db.AsSpan(separator + 1);
        var prime = new byte[8 + hashLength + salt.Length];
        messageHash.CopyTo(prime, 8);
        salt.CopyTo(prime.AsSpan(8 + hashLength));
        return CryptographicOperations.FixedTimeEquals(Hash(prime, hashAlgorithm), h);
    }

    static byte[] Mgf1(byte[] seed, int length, HashAlgorithmName hashAlgorithm)
    {
        var mask = new byte[length];
        var block = new byte[seed.Length + 4];
        seed.CopyTo(block, 0);
        for (uint counter = 0, written = 0; written < length; counter++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(seed.Length), counter);
            var digest = Hash(block, hashAlgorithm);
            var take = (int)Math.Min(digest.Length, length - written);
            digest.AsSpan(0, take).CopyTo(mask.AsSpan((int)written));
            written += (uint)take;
        }

        return mask;
    }

    static byte[] Hash(byte[] data, HashAlgorithmName hashAlgorithm) => CryptographicOperations.HashData(hashAlgorithm, data);
}
