using ImageManager.Testing;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>
/// The Keystone contract against the real Keystone 22 of infra/infra.sh and the Glance behind it (keystonemiddleware,
/// listed in the catalog of <see cref="Infrastructure.KeystoneRegion"/>); each test gets a project, user and application
/// credential of its own, removed afterwards.
/// </summary>
public sealed class KeystoneDriverOnRealKeystoneTests : KeystoneDriverContract
{
    readonly KeystoneAdmin _admin = new();

    protected override Uri IdentityUrl => KeystoneAdmin.IdentityUrl;

    protected override string Region => Infrastructure.KeystoneRegion;

    protected override Uri ProtectedGlance => new(Infrastructure.GlanceKeystone.AbsoluteUri.TrimEnd('/') + "/");

    protected override Task<KeystoneAccount> CreateAccountAsync() => _admin.CreateAccountAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _admin.DisposeAsync();
    }
}
