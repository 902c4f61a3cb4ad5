using System.Text;

namespace ImageManager.Testing;

/// <summary>
/// What the signature database infra/clamav.sh writes for the local clamd finds: the EICAR test string anywhere in the
/// bytes (test.ndb), and one test file by its MD5 and size (test.hdb), also inside archives. Neither is malware.
/// </summary>
public static class ClamdTestSignatures
{
    /// <summary>The name clamd gives the EICAR signature (it adds <c>.UNOFFICIAL</c> to names from unsigned databases).</summary>
    public const string EicarName = "Eicar-Test-Signature";

    public const string TestFileName = "ImageManager-Test-File";

    /// <summary>The standard anti-malware test string (eicar.org), put together here so that no scanner flags this source.</summary>
    public static byte[] Eicar => Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-" + "STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    /// <summary>The exact bytes of the test file (the same text and newline as infra/clamav.sh's CLAMAV_TEST_FILE_TEXT).</summary>
    public static byte[] TestFile => Encoding.ASCII.GetBytes("ImageManager ClamAV test file: not malware, a known hash for the tests.\n");
}
