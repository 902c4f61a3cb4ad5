using ImageManager.Testing;

namespace ImageManager.Distribution.Tests.Drivers;

/// <summary>The driver contract against the two real local Glance instances.</summary>
public sealed class GlanceDriverOnRealGlanceTests : GlanceDriverContract
{
    protected override Uri First => Infrastructure.Glance1;

    protected override Uri Second => Infrastructure.Glance2;
}
