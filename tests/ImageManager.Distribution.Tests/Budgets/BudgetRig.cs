using ImageManager.Distribution.Budgets;
using ImageManager.Distribution.Drivers;
using ImageManager.Distribution.Tests.Persistence;
using ImageManager.Distribution.Vims;
using ImageManager.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageManager.Distribution.Tests.Budgets;

/// <summary>
/// Replicas of the Distribution as far as the budgets go (each its own <see cref="TransferBudgets"/>, running, and a
/// <see cref="VimConnector"/> that uses them) on one real PostgreSQL database, and a VIM on 127.0.0.1 that takes every
/// body as fast as it comes and counts the bytes (<see cref="Received"/>), so a test reads what went over a window.
/// </summary>
public sealed class BudgetRig : IAsyncDisposable
{
    readonly DistributionDatabase _database = new();
    readonly List<(TransferBudgets Budgets, VimConnector Connector)> _replicas = [];
    readonly LoopbackHttpServer _vim;
    long _received;

    BudgetRig() => _vim = new LoopbackHttpServer(async context =>
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.InputStream.ReadAsync(buffer)) > 0)
        {
            Interlocked.Add(ref _received, read);
        }

        context.Response.StatusCode = 204;
    });

    public DistributionDatabase Database => _database;

    public long Received => Interlocked.Read(ref _received);

    public static async Task<BudgetRig> StartAsync()
    {
        var rig = new BudgetRig();
        await rig._database.InitializeAsync();
        return rig;
    }

    /// <summary>A replica, started, with the uplink's budget <paramref name="uplink"/> (null: none).</summary>
    public async Task<Replica> ReplicaAsync(long? uplink = null)
    {
        var budgets = new TransferBudgets(_database.Factory(), Options.Create(new BudgetOptions { UplinkBytesPerSecond = uplink }), NullLogger<TransferBudgets>.Instance);
        var connector = new VimConnector(new VimCredentialProtector(new EphemeralDataProtectionProvider()),
            Options.Create(new DistributionOptions { AllowPrivateVimAddresses = true }), TimeProvider.System, budgets);
        await budgets.StartAsync(CancellationToken.None);
        _replicas.Add((budgets, connector));
        return new Replica(budgets, connector, this);
    }

    public Vim VimOf(string id, long? cap) => new() { Id = id, Type = "openstack", Endpoint = _vim.Address, BandwidthLimitBytesPerSecond = cap };

    /// <summary>Bytes received over <paramref name="window"/>, after <paramref name="settle"/> for every replica to learn of the others.</summary>
    public async Task<double> RateOverAsync(TimeSpan settle, TimeSpan window)
    {
        await Task.Delay(settle);
        var before = Received;
        var started = TimeProvider.System.GetTimestamp();
        await Task.Delay(window);
        return (Received - before) / TimeProvider.System.GetElapsedTime(started).TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (budgets, connector) in _replicas)
        {
            await budgets.StopAsync(CancellationToken.None);
            budgets.Dispose();
            connector.Dispose();
        }

        _vim.Dispose();
        await _database.DisposeAsync();
    }

    /// <summary>One replica: its budgets, and pushes through its connections.</summary>
    public sealed record Replica(TransferBudgets Budgets, VimConnector Connector, BudgetRig Rig)
    {
        /// <summary>Sends <paramref name="bytes"/> to the VIM as an upload would, through the VIM's connection; ends when sent or cancelled.</summary>
        public async Task PushAsync(Vim vim, int bytes, CancellationToken cancellationToken)
        {
            var connection = Connector.Connect(vim);
            using var content = new ByteArrayContent(new byte[bytes]);
            try
            {
                using var response = await connection.Http.PutAsync(new Uri(vim.Endpoint, "v2/images/x/file"), content, cancellationToken);
                response.EnsureSuccessStatusCode();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // the test has seen what it needed
            }
        }
    }
}
