using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Berth.Storage.Tests;

/// <summary>Runs Berth.Storage.CrashWriter in its own process and kills it with SIGKILL while it writes.</summary>
public sealed class SqliteStoreDurabilityTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task KillDashNine_DuringConcurrentCreates_EveryAcknowledgedCreateSurvives()
    {
        var acknowledged = new Dictionary<string, long>();
        using var process = StartCrashWriter(_directory.DatabasePath);
        var stderr = process.StandardError.ReadToEndAsync(TestStore.TestTimeout);
        Stopwatch? writing = null;

        // Waiting for a real process: let it write for about a second, then kill it mid-write.
        while (writing is null || writing.Elapsed < TimeSpan.FromSeconds(1))
        {
            var line = await process.StandardOutput.ReadLineAsync(TestStore.TestTimeout);
            if (line is null)
            {
                Assert.Fail("the crash writer exited early: " + await stderr);
            }
            Record(acknowledged, line);
            writing ??= Stopwatch.StartNew();
        }

        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync(TestStore.TestTimeout);

        // Lines already in the pipe were acknowledged before the kill, too.
        while (await process.StandardOutput.ReadLineAsync(TestStore.TestTimeout) is { } line)
        {
            Record(acknowledged, line);
        }

        await using var store = await TestStore.OpenAsync(_directory);
        foreach (var (key, revision) in acknowledged)
        {
            var stored = await store.GetAsync(key, CancellationToken.None);
            Assert.True(stored is not null, $"acknowledged key {key} was lost");
            Assert.Equal(revision, stored.ModRevision);
        }

        var all = await store.ListAsync("/", null, 0, CancellationToken.None);
        var next = await store.CreateAsync("/after-crash", TestStore.Bytes("v"), CancellationToken.None);
        Assert.NotEmpty(acknowledged);
        Assert.True(next.Value!.ModRevision > all.Items.Max(i => i.ModRevision));
        Assert.True(next.Value.ModRevision > acknowledged.Values.Max());
    }

    private static void Record(Dictionary<string, long> acknowledged, string line)
    {
        var parts = line.Split(' ');
        acknowledged.Add(parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static Process StartCrashWriter(string databasePath)
    {
        var dll = typeof(SqliteStoreDurabilityTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CrashWriterPath").Value!;
        Assert.True(File.Exists(dll), $"{dll} is missing; build tests/Berth.Storage.CrashWriter");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.GetFullPath(dll));
        start.ArgumentList.Add(databasePath);
        start.ArgumentList.Add("16");
        return Process.Start(start)!;
    }
}
