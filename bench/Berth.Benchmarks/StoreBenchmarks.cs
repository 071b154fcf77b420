using BenchmarkDotNet.Attributes;
using Berth.Storage;

namespace Berth.Benchmarks;

/// <summary>
/// SqliteStore hot paths on a real database file: group-committed creates (1 and 16 concurrent writers), a 10,000-key
/// list of ~1 KiB values, and one write fanned out to 100 watchers. Percentiles of watch delivery latency come from
/// <see cref="WatchLatencyMeasurement"/> (<c>dotnet run -c Release -- watch-latency</c>).
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private const int CreatesPerInvoke = 512;
    private const int Watchers = 100;

    private static readonly byte[] _value = new byte[1024];

    private string _directory = "";
    private SqliteStore _store = null!;
    private long _next;
    private CancellationTokenSource _stopWatchers = new();
    private Task[] _watchers = [];
    private TaskCompletionSource _allDelivered = new();
    private int _pending;

    [GlobalSetup(Targets = [nameof(Create)])]
    public async Task SetupCreateAsync() => await OpenAsync();

    [GlobalSetup(Target = nameof(List10k))]
    public async Task SetupListAsync()
    {
        await OpenAsync();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < 10_000; i += 16)
            {
                await _store.CreateAsync($"/registry/configmaps/default/cm-{i:D5}", _value, CancellationToken.None);
            }
        })));
    }

    [GlobalSetup(Target = nameof(WriteDeliveredTo100Watchers))]
    public async Task SetupWatchAsync()
    {
        await OpenAsync();
        _watchers = [.. Enumerable.Range(0, Watchers).Select(_ => Task.Run(WatchAsync))];

        // Make sure every watcher is registered before measuring.
        await DeliverOneAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _stopWatchers.CancelAsync();
        await Task.WhenAll(_watchers).ContinueWith(_ => { }, TaskScheduler.Default);
        await _store.DisposeAsync();
        _stopWatchers.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = CreatesPerInvoke)]
    [Arguments(1)]
    [Arguments(16)]
    public async Task Create(int writers) =>
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < CreatesPerInvoke / writers; i++)
            {
                await _store.CreateAsync($"/registry/pods/default/p-{Interlocked.Increment(ref _next)}", _value, CancellationToken.None);
            }
        })));

    [Benchmark]
    public async Task<int> List10k() => (await _store.ListAsync("/registry/configmaps/", null, 0, CancellationToken.None)).Items.Count;

    [Benchmark]
    public Task WriteDeliveredTo100Watchers() => DeliverOneAsync();

    private async Task DeliverOneAsync()
    {
        _allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _pending, Watchers);
        await _store.CreateAsync($"/registry/leases/l-{Interlocked.Increment(ref _next)}", _value, CancellationToken.None);
        await _allDelivered.Task;
    }

    private async Task WatchAsync()
    {
        try
        {
            await foreach (var _ in _store.WatchAsync("/registry/leases/", _store.CurrentRevision, _stopWatchers.Token))
            {
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    _allDelivered.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task OpenAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "berth-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_directory, "berth.db") }, CancellationToken.None);
    }
}
