using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Berth.Benchmarks.PodStart;

/// <summary>
/// One watch on the pods of a namespace that stamps each registered pod's <see cref="PodTimeline"/> when an event shows a
/// step for the first time. Restarted from the last resourceVersion seen if the stream ends.
/// </summary>
internal sealed class PodWatch : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, PodTimeline> _timelines = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public PodWatch(Kubernetes client, string ns, string resourceVersion) =>
        _loop = Task.Run(() => LoopAsync(client, ns, resourceVersion, _stop.Token));

    /// <summary>A timeline for the pod <paramref name="name"/>, to be created next.</summary>
    public PodTimeline Track(string name) => _timelines[name] = new PodTimeline();

    private async Task LoopAsync(Kubernetes client, string ns, string resourceVersion, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, pod) in client.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: resourceVersion, cancellationToken: cancellationToken))
                {
                    var now = Stopwatch.GetTimestamp();
                    resourceVersion = pod.Metadata.ResourceVersion ?? resourceVersion;
                    if (_timelines.TryGetValue(pod.Metadata.Name, out var timeline))
                    {
                        Stamp(timeline, type, pod, now);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
            {
                Console.Error.WriteLine("pod watch: " + e.Message + "; watching again");
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static void Stamp(PodTimeline timeline, WatchEventType type, V1Pod pod, long now)
    {
        if (type == WatchEventType.Deleted)
        {
            timeline.MarkDeleted(now);
            return;
        }

        var conditions = pod.Status?.Conditions ?? [];
        if (!string.IsNullOrEmpty(pod.Spec.NodeName) || conditions.Any(c => c.Type == "PodScheduled" && c.Status == "True"))
        {
            timeline.MarkScheduled(now);
        }

        if (pod.Status?.PodIP is not null || pod.Status?.ContainerStatuses is { Count: > 0 })
        {
            timeline.MarkAgentSeen(now);
        }

        if (pod.Status?.Phase == "Running")
        {
            timeline.MarkRunning(now);
        }

        if (conditions.Any(c => c.Type == "Ready" && c.Status == "True"))
        {
            timeline.MarkReady(now);
        }
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
}
