using ImageManager.Testing;
using ImageManager.VimSimulator;

namespace ImageManager.Faults.Tests;

/// <summary>
/// The whole system with virtual VIMs, whose data the restore drills back up with <c>tools/backup.sh</c>, destroy and
/// restore: its own databases, blob root (or bucket: <see cref="S3RestoreDrillSystem"/>) and key ring (from the
/// declaration), and a folder for its backups.
/// </summary>
public class RestoreDrillSystem : SimulatedFleetSystem
{
    public RestoreDrillSystem()
        : this("restore", blobsInS3: false)
    {
    }

    /// <summary>Not public: xUnit makes a fixture through its one public constructor.</summary>
    protected RestoreDrillSystem(string name, bool blobsInS3)
        : base(name, new RabbitMqBroker(), blobsInS3)
    {
    }

    public BackupScript Script => new(this);

    /// <summary>Where this run's backups go (removed with the fixture: they hold its secrets).</summary>
    public string BackupRoot { get; } = Path.Combine(RepositoryPaths.TestOutput, $"backups-{Guid.NewGuid():N}"[..20]);

    /// <summary>A new folder name under <see cref="BackupRoot"/>, not made yet (a backup goes to a folder of its own).</summary>
    public string NewBackupDirectory(string name) => Path.Combine(BackupRoot, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);

    /// <summary>Where the filesystem blob store keeps the blob of that digest.</summary>
    public string BlobPath(string sha256) => Path.Combine(BlobRoot, "sha256", sha256[..2], sha256[2..4], sha256);

    /// <summary>
    /// A simulated Glance that takes only tokens from the simulator's Keystone, registered with a password for a user
    /// made there: the credentials are stored encrypted with the key ring, so an upload to it proves they decrypt.
    /// </summary>
    public async Task<string> AddKeystoneVimAsync(string vimName)
    {
        var user = Unique(vimName);
        var password = Guid.NewGuid().ToString("N");
        Simulator.Keystone.AddUser(user, password, project: user);
        Simulator.Configure(vimName, SimulatedVimBehaviour.Healthy);
        Simulator.RequireKeystone(vimName);
        return await RegisterVimAsync(vimName, Simulator.EndpointOf(vimName), new Dictionary<string, object?>
        {
            ["identityUrl"] = Simulator.Keystone.IdentityUrl.ToString(),
            ["region"] = "RegionOne",
            ["credentials"] = new { username = user, password, projectName = user },
        });
    }

    /// <summary>What a lost machine leaves: the services stopped, the databases dropped, the blob root (or the bucket) and the key ring gone.</summary>
    public async Task DestroyDataAsync()
    {
        await DropDatabasesAsync();
        if (Bucket is null)
        {
            Directory.Delete(BlobRoot, recursive: true);
        }
        else
        {
            await Bucket.DeleteAsync();
        }

        if (KeysDirectory is not null && Directory.Exists(KeysDirectory))
        {
            Directory.Delete(KeysDirectory, recursive: true);
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(BackupRoot))
        {
            Directory.Delete(BackupRoot, recursive: true);
        }
    }
}
