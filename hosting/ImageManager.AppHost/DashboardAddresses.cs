namespace ImageManager.AppHost;

/// <summary>
/// Where the Aspire dashboard listens: fixed loopback addresses that <c>imagemanager.sh</c> prints, over plain HTTP
/// (there is no developer certificate here; the browser still logs in with the token the app host prints).
/// </summary>
public static class DashboardAddresses
{
    static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_URLS"] = "http://127.0.0.1:18888",
        ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = "http://127.0.0.1:18889",
        ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://127.0.0.1:18887",
        ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
    };

    /// <summary>
    /// Sets the defaults an operator has not set. In the environment, not in appsettings.json: the app host's dashboard
    /// and resource service read these from the environment only (set in appsettings.json, the resource service still asked for HTTPS).
    /// </summary>
    public static void ApplyDefaults()
    {
        foreach (var (name, value) in Defaults)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
