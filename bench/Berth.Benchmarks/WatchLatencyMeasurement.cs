using System.Diagnostics;
using Berth.Storage;

namespace Berth.Benchmarks;

/// <summary>
/// Write → event latency to 100 watchers, as percentiles (BenchmarkDotNet reports means): sequential writes, each
/// timed from the start of CreateAsync to each watcher receiving the event and to the write's acknowledgement (both
/// include the commit's fsync), and the fan-out spread: how long after the first watcher each other watcher got it.
/// </summary>
public static class WatchLatencyMeasurement
{
    public static async Task RunAsync(int watchers = 100, int writes = 1000)
    {
        var directory = Path.Combine(Path.GetTempPath(), "berth-latency-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(directory, "berth.db") }, CancellationToken.None);
            var started = new long[writes + 1];
            var received = new long[writes + 1, watchers];
            var acknowledged = new List<double>(writes);
            using var stop = new CancellationTokenSource();
            var ready = 0;
            var tasks = Enumerable.Range(0, watchers).Select(w => Task.Run(async () =>
            {
                await using var events = store.WatchAsync("/bench/", 0, stop.Token).GetAsyncEnumerator();
                Interlocked.Increment(ref ready);
                for (var n = 0; n < writes && await events.MoveNextAsync(); n++)
                {
                    received[events.Current.Revision, w] = Stopwatch.GetTimestamp();
                }
            })).ToArray();
            while (Volatile.Read(ref ready) < watchers)
            {
                await Task.Yield();
            }

            var value = new byte[1024];
            for (var i = 1; i <= writes; i++)
            {
                // Revisions are 1..writes: this store is fresh and only this loop writes.
                Volatile.Write(ref started[i], Stopwatch.GetTimestamp());
                await store.CreateAsync($"/bench/{i}", value, CancellationToken.None);
                acknowledged.Add(Stopwatch.GetElapsedTime(started[i]).TotalMilliseconds);
            }

            await Task.WhenAll(tasks);
            var delivered = new List<double>(watchers * writes);
            var spread = new List<double>(watchers * writes);
            for (var revision = 1; revision <= writes; revision++)
            {
                var first = long.MaxValue;
                for (var w = 0; w < watchers; w++)
                {
                    first = Math.Min(first, received[revision, w]);
                }

                for (var w = 0; w < watchers; w++)
                {
                    delivered.Add(Stopwatch.GetElapsedTime(started[revision], received[revision, w]).TotalMilliseconds);
                    spread.Add(Stopwatch.GetElapsedTime(first, received[revision, w]).TotalMilliseconds);
                }
            }

            Console.WriteLine($"watchers={watchers} writes={writes}");
            Print("write acknowledged (incl. fsync)", acknowledged);
            Print("write -> event at watcher", delivered);
            Print("fan-out spread after first watcher", spread);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Print(string what, List<double> samples)
    {
        samples.Sort();
        Console.WriteLine($"{what,-36} p50={Percentiles.At(samples, 0.50):F3} ms  p99={Percentiles.At(samples, 0.99):F3} ms  max={samples[^1]:F3} ms  (n={samples.Count})");
    }
}
