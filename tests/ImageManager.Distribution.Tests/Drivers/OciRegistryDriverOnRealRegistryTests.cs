using ImageManager.Testing;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The driver contract against the real OCI distribution registry (Debian's docker-registry 2.8): without auth and with
/// htpasswd basic auth (both from <c>infra/infra.sh</c>), and with token auth behind a token service (<see cref="TokenAuthRegistry"/>).
/// </summary>
public sealed class OciRegistryDriverOnRealRegistryTests(TokenAuthRegistry tokenRegistry) : OciRegistryDriverContract, IClassFixture<TokenAuthRegistry>
{
    protected override Uri Registry => Infrastructure.Registry;

    protected override (Uri Endpoint, string Username, string Password) BasicAuthRegistry =>
        (Infrastructure.RegistryAuth, Infrastructure.RegistryAuthUser, Infrastructure.RegistryAuthPassword);

    protected override (Uri Endpoint, string Username, string Password, Func<long> TokensIssued) BearerRegistry =>
        (tokenRegistry.Endpoint, TokenAuthRegistry.Username, TokenAuthRegistry.Password, () => tokenRegistry.TokensIssued);
}
