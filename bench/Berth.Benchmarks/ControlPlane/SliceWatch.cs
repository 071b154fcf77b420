using System.Diagnostics;
using System.Text.Json;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>
/// One watch of every EndpointSlice (its own connection): keeps the number of ready endpoints across all slices outside
/// <c>default</c>
/// (convergence) and reports each endpoint's ready condition to <see cref="ReadyChanges"/> (latency).
/// </summary>
internal sealed class SliceWatch : IAsyncDisposable
{
    private readonly Dictionary<string, int> _readyBySlice = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly ReadyChanges _changes;
    private Task _loop = Task.CompletedTask;
    private long _ready;
    private long _events;

    private SliceWatch(ReadyChanges changes) => _changes = changes;

    /// <summary>Ready endpoints summed over all slices as last seen.</summary>
    public long ReadyEndpoints => Interlocked.Read(ref _ready);

    public long Events => Interlocked.Read(ref _events);

    /// <summary>Opens the watch (from the current state: existing slices arrive as ADDED) and reads it in the background.</summary>
    public static async Task<SliceWatch> StartAsync(BenchApi api, ReadyChanges changes)
    {
        var watch = new SliceWatch(changes);
        var response = await api.StreamAsync("/apis/discovery.k8s.io/v1/endpointslices?watch=true&allowWatchBookmarks=true&timeoutSeconds=7200", watch._stop.Token);
        response.EnsureSuccessStatusCode();
        watch._loop = Task.Run(() => watch.ReadAsync(response, watch._stop.Token));
        return watch;
    }

    /// <summary>Waits until <paramref name="condition"/> holds; false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var now = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref _events);
                Handle(line, now);
            }
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("slice watch ended by the server");
        }
    }

    private void Handle(string line, long now)
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString();
        if (type is not ("ADDED" or "MODIFIED" or "DELETED"))
        {
            return;
        }

        var slice = doc.RootElement.GetProperty("object");
        var meta = slice.GetProperty("metadata");
        var ns = meta.GetProperty("namespace").GetString();
        if (ns == "default")
        {
            return; // default/kubernetes: the API server's own slice, not the benchmark's
        }

        var key = ns + "/" + meta.GetProperty("name").GetString();
        var ready = 0;
        if (type != "DELETED" && slice.TryGetProperty("endpoints", out var endpoints) && endpoints.ValueKind == JsonValueKind.Array)
        {
            foreach (var endpoint in endpoints.EnumerateArray())
            {
                var isReady = endpoint.TryGetProperty("conditions", out var conditions)
                    && conditions.TryGetProperty("ready", out var r) && r.ValueKind == JsonValueKind.True;
                if (isReady)
                {
                    ready++;
                }

                if (_changes.Pending > 0 && endpoint.TryGetProperty("targetRef", out var target) && target.TryGetProperty("name", out var pod))
                {
                    _changes.Observed(ns + "/" + pod.GetString(), isReady, now);
                }
            }
        }

        var before = _readyBySlice.GetValueOrDefault(key);
        if (type == "DELETED")
        {
            _readyBySlice.Remove(key);
        }
        else
        {
            _readyBySlice[key] = ready;
        }

        Interlocked.Add(ref _ready, ready - before);
    }
}
