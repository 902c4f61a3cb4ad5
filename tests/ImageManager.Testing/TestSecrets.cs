using System.Security.Cryptography;

namespace ImageManager.Testing;

/// <summary>Secrets made for one test run: there are no defaults to fall back on.</summary>
public static class TestSecrets
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewBootstrapKey() => "imk_bootstrap_" + RandomNumberGenerator.GetString(Alphabet, 40);

    public static string NewServiceToken() => RandomNumberGenerator.GetString(Alphabet, 48);
}
