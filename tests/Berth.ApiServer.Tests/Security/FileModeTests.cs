using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Tests.Security;

/// <summary>The data directory is 0700 and every file in it 0600, whatever the umask (issue 11: other local users).</summary>
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-modes-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task BerthServer_UnderUmask022_EveryFileOwnerOnly()
    {
        using var block = AddressBlock.Claim();
        await using (var server = await BerthProcess.StartAsync(_dataDir, BerthProcess.FreePort(), block, umask: "022"))
        {
            using var client = server.CreateClient();
            // A write, so that SQLite has its -wal and -shm files.
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "secret-ish" }, Data = new Dictionary<string, string> { ["token"] = "x" } }, "default");

            var files = Directory.GetFiles(_dataDir).Select(f => Path.GetFileName(f)).ToHashSet();
            Assert.Superset(
                new HashSet<string> { "berth.db", "berth.db-wal", "berth.db-shm", "ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "admin.token", "kubeconfig.yaml", "berth.lock", "berth.pid", "cluster.json" },
                files);
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(_dataDir));
            Assert.All(Directory.GetFiles(_dataDir), f => Assert.True(File.GetUnixFileMode(f) == OwnerOnlyFile, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
        }
    }

    [Fact]
    public async Task Start_ExistingDirectoryOthersCanRead_NarrowedWithOneWarning()
    {
        Directory.CreateDirectory(_dataDir);
        File.SetUnixFileMode(_dataDir, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var notes = Path.Combine(_dataDir, "notes.txt");
        File.WriteAllText(notes, "left here");
        File.SetUnixFileMode(notes, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));

        await (await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = _dataDir, ApiPort = 0 }, loggers, CancellationToken.None)).DisposeAsync();
        await (await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = _dataDir, ApiPort = 0 }, loggers, CancellationToken.None)).DisposeAsync();

        var warning = Assert.Single(logs.Messages, m => m.Contains("let other users in", StringComparison.Ordinal));
        Assert.Contains($"{_dataDir} (0755)", warning, StringComparison.Ordinal);
        Assert.Contains($"{notes} (0644)", warning, StringComparison.Ordinal);
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(_dataDir));
        Assert.All(Directory.GetFiles(_dataDir), f => Assert.True(File.GetUnixFileMode(f) == OwnerOnlyFile, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public async Task Start_EmptyDirectoryOthersCouldEnter_NarrowedWithoutWarning()
    {
        Directory.CreateDirectory(_dataDir);
        File.SetUnixFileMode(_dataDir, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var logs = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));

        await (await ApiServerHost.StartAsync(new ApiServerOptions { DataDir = _dataDir, ApiPort = 0 }, loggers, CancellationToken.None)).DisposeAsync();

        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(_dataDir));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("let other users in", StringComparison.Ordinal));
        Assert.Single(logs.Messages, m => m.Contains("it held nothing others could read", StringComparison.Ordinal));
    }
}
