namespace ImageManager.Validation.Signatures;

/// <summary>What a certificate's OCSP responder said, once its answer was verified; <see cref="NoAnswer"/> when there is no verified answer.</summary>
public enum OcspStatus
{
    Good,
    Revoked,
    NoAnswer,
}
