using System.Text.RegularExpressions;
using ImageManager.Contracts.Images;

namespace ImageManager.Catalog.Images;

/// <summary>Checks a <see cref="CreateImageRequest"/>; every problem is named by its field, in words a person understands.</summary>
public static partial class CreateImageRequestValidator
{
    public static readonly string[] Kinds = ["vm-image", "container-image", "software-package"];
    public static readonly string[] DiskFormats = ["qcow2", "raw", "vmdk", "vhd", "vhdx", "vdi", "iso"];
    public static readonly string[] VmContainerFormats = ["bare", "ovf", "ova"];
    public static readonly string[] ContainerImageFormats = ["docker", "oci"];

    public static Dictionary<string, string[]> Validate(CreateImageRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        ImageFieldRules.CheckText("name", request.Name, 255, required: true, Fail);
        ImageFieldRules.CheckText("version", request.Version, 64, required: true, Fail);
        ImageFieldRules.CheckText("vendor", request.Vendor, 255, required: false, Fail);
        ImageFieldRules.CheckText("owner", request.Owner, 255, required: false, Fail);
        ImageFieldRules.CheckText("osDistro", request.OsDistro, 64, required: false, Fail);
        ImageFieldRules.CheckText("osVersion", request.OsVersion, 64, required: false, Fail);
        ImageFieldRules.CheckText("architecture", request.Architecture, 32, required: false, Fail);
        ImageFieldRules.CheckDescription(request.Description, Fail);
        ImageFieldRules.CheckVisibility(request.Visibility, Fail);
        ImageFieldRules.CheckTags(request.Tags, Fail);
        ImageFieldRules.CheckSharedWith(request.SharedWith, Fail);
        ImageFieldRules.CheckProperties(request.Properties, Fail);
        ImageFieldRules.CheckNotNegative("minRamMb", request.MinRamMb, Fail);
        ImageFieldRules.CheckNotNegative("minDiskGb", request.MinDiskGb, Fail);

        switch (request.Kind)
        {
            case null or "":
                Fail("kind", $"kind is required: one of {string.Join(", ", Kinds)}.");
                break;
            case "vm-image":
                if (request.DiskFormat is null || !DiskFormats.Contains(request.DiskFormat))
                {
                    Fail("diskFormat", $"a vm-image needs diskFormat, one of {string.Join(", ", DiskFormats)}; got '{request.DiskFormat}'.");
                }

                if (request.ContainerFormat is not null && !VmContainerFormats.Contains(request.ContainerFormat))
                {
                    Fail("containerFormat", $"a vm-image's containerFormat is one of {string.Join(", ", VmContainerFormats)}; got '{request.ContainerFormat}'.");
                }

                break;
            case "container-image":
                if (request.ContainerFormat is null || !ContainerImageFormats.Contains(request.ContainerFormat))
                {
                    Fail("containerFormat", $"a container-image needs containerFormat, one of {string.Join(", ", ContainerImageFormats)}.");
                }

                if (request.DiskFormat is not null)
                {
                    Fail("diskFormat", "a container-image has no diskFormat.");
                }

                break;
            case "software-package":
                if (request.DiskFormat is not null || request.ContainerFormat is not null)
                {
                    Fail("diskFormat", "a software-package has neither diskFormat nor containerFormat.");
                }

                break;
            default:
                Fail("kind", $"kind '{request.Kind}' is unknown: one of {string.Join(", ", Kinds)}.");
                break;
        }

        if (request.Sha256 is not null && !Sha256Hex().IsMatch(request.Sha256))
        {
            Fail("sha256", "sha256 is 64 hexadecimal digits.");
        }

        if (request.Sha512 is not null && !Sha512Hex().IsMatch(request.Sha512))
        {
            Fail("sha512", "sha512 is 128 hexadecimal digits.");
        }

        if (request.Md5 is not null && !Md5Hex().IsMatch(request.Md5))
        {
            Fail("md5", "md5 is 32 hexadecimal digits.");
        }

        if (request.Signature is { } signature)
        {
            CheckSignature(signature);
        }

        return errors;

        void CheckSignature(ImageSignature signature)
        {
            if (string.IsNullOrWhiteSpace(signature.Value) || !IsBase64(signature.Value))
            {
                Fail("signature.value", "signature.value is required: the signature, base64-encoded.");
            }

            if (string.IsNullOrWhiteSpace(signature.HashMethod) || signature.HashMethod.Length > 16)
            {
                Fail("signature.hashMethod", "signature.hashMethod is required, for example SHA-256.");
            }

            if (string.IsNullOrWhiteSpace(signature.KeyType) || signature.KeyType.Length > 32)
            {
                Fail("signature.keyType", "signature.keyType is required, for example RSA-PSS or ECC_SECP384R1.");
            }

            if ((signature.CertificateId is null) == string.IsNullOrWhiteSpace(signature.Certificate))
            {
                Fail("signature.certificate", "give the signing certificate either as signature.certificateId (registered) or as signature.certificate (PEM), not both.");
            }
            else if (signature.Certificate is { } pem && !IsCertificate(pem))
            {
                Fail("signature.certificate", "signature.certificate is not a PEM certificate.");
            }
        }
    }

    static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    public static bool IsCertificate(string pem)
    {
        try
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
            return true;
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{32}$")]
    private static partial Regex Md5Hex();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("^[0-9a-fA-F]{128}$")]
    private static partial Regex Sha512Hex();
}
