using System.Globalization;
using ImageManager.Testing;

namespace ImageManager.EndToEnd.Tests;

/// <summary>The whole system with a central uplink budget (<see cref="UplinkBytesPerSecond"/>): every push and pull shares it.</summary>
public sealed class BudgetSystemFixture() : ServiceSystem("e2e-budgets", new RabbitMqBroker())
{
    public const int UplinkBytesPerSecond = 2 * 1024 * 1024;

    protected override void Configure(IDictionary<string, string> settings) =>
        settings["Budgets__UplinkBytesPerSecond"] = UplinkBytesPerSecond.ToString(CultureInfo.InvariantCulture);
}
