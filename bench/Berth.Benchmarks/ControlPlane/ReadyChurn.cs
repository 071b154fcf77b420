using System.Diagnostics;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>
/// Plays the kubelet under churn: at a fixed rate flips the Ready condition of a random pod (one with no change in
/// flight) by patching its status, recording each change in <see cref="ReadyChanges"/>. Writes are not awaited one by
/// one, so a slow write does not lower the rate.
/// </summary>
internal sealed class ReadyChurn(BenchApi api, IReadOnlyList<(string Ns, string Name, string Ip)> pods, bool[] ready, ReadyChanges changes, Random random)
{
    private int _failures;

    public int Failures => _failures;

    /// <summary>Runs <paramref name="perSecond"/> changes per second until <paramref name="count"/> were issued or <paramref name="duration"/> passed.</summary>
    public async Task<int> RunAsync(int perSecond, TimeSpan duration, int count = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        var issued = 0;
        while (issued < count && clock.Elapsed < duration && !cancellationToken.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            var i = random.Next(pods.Count);
            var (ns, name, ip) = pods[i];
            var key = ns + "/" + name;
            if (changes.IsPending(key))
            {
                continue;
            }

            ready[i] = !ready[i];
            if (!changes.Start(key, ready[i]))
            {
                continue;
            }

            issued++;
            inFlight.Add(FlipAsync(ns, name, ip, ready[i], key));
        }

        await Task.WhenAll(inFlight);
        return issued;
    }

    private async Task FlipAsync(string ns, string name, string ip, bool isReady, string key)
    {
        try
        {
            await api.PatchAsync(ClusterObjects.PodStatusPath(ns, name), ClusterObjects.PodStatus(ip, isReady), CancellationToken.None);
            changes.Acknowledged(key);
        }
        catch (HttpRequestException e)
        {
            Interlocked.Increment(ref _failures);
            await Console.Error.WriteLineAsync("status write failed: " + e.Message);
        }
    }
}
