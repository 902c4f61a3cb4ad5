using ImageManager.Testing;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>The driver contract against the real OCI distribution registry (Debian's docker-registry 2.8), with and without htpasswd basic auth.</summary>
public sealed class OciRegistryDriverOnRealRegistryTests : OciRegistryDriverContract
{
    protected override Uri Registry => Infrastructure.Registry;

    protected override (Uri Endpoint, string Username, string Password) BasicAuthRegistry =>
        (Infrastructure.RegistryAuth, Infrastructure.RegistryAuthUser, Infrastructure.RegistryAuthPassword);
}
