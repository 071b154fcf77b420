using System.Globalization;
using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

/// <summary>
/// Writes pod statuses as the kubelet's status manager: each pod worker sets the status it wants; one loop writes the
/// latest wanted status of a pod (requests coalesce per pod) through <c>pods/status</c>, merged into the API copy
/// (conditions the kubelet does not own, such as PodScheduled, are kept; a condition's lastTransitionTime moves only
/// when its status changes), retrying on conflict. When the API copy later differs from what the worker wants — e.g.
/// the node lifecycle controller marked the pod not ready while the node was unreachable — the status is written again.
/// <see cref="Writers"/> loops write at once (never two for one pod: the work queue hands a key to one loop): a burst
/// of pod starts is not written one round trip after another, and concurrent writes share the server's commits.
/// </summary>
internal sealed partial class PodStatusWriter : IAsyncDisposable
{
    /// <summary>Status writes in flight at most.</summary>
    public const int Writers = 4;

    private readonly IApiClient _client;
    private readonly ILister<V1Pod> _pods;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly WorkQueue<string> _queue;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _loops = [];

    public PodStatusWriter(IApiClient client, ILister<V1Pod> pods, TimeProvider time, ILogger logger)
    {
        _client = client;
        _pods = pods;
        _time = time;
        _logger = logger;
        _queue = new WorkQueue<string>(new WorkQueueOptions { BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(10), TimeProvider = time });
    }

    public void Start() => _loops = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(() => LoopAsync(_stop.Token)))];

    /// <summary>Asks for <paramref name="status"/> to be the status of <paramref name="pod"/> (same UID).</summary>
    public void Set(V1Pod pod, V1PodStatus status)
    {
        var uid = pod.Metadata.Uid;
        lock (_gate)
        {
            _entries[uid] = new Entry(pod.Metadata.NamespaceProperty, pod.Metadata.Name, status, _entries.GetValueOrDefault(uid)?.Written);
        }

        _queue.Add(uid);
    }

    /// <summary>Called with every pod the informer sees: a status that drifted from the wanted one is written again.</summary>
    public void Observe(V1Pod pod)
    {
        Entry? entry;
        lock (_gate)
        {
            entry = _entries.GetValueOrDefault(pod.Metadata.Uid ?? string.Empty);
        }

        if (entry is not null && !Same(Merge(pod.Status, entry.Wanted, _time.GetUtcNow()), pod.Status))
        {
            _queue.Add(pod.Metadata.Uid!);
        }
    }

    /// <summary>Stops writing the status of <paramref name="uid"/> (the pod is gone, or the agent no longer owns it).</summary>
    public void Forget(string uid)
    {
        lock (_gate)
        {
            _entries.Remove(uid);
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (uid, shutdown) = await _queue.GetAsync(cancellationToken).ConfigureAwait(false);
            if (shutdown)
            {
                return;
            }

            try
            {
                await WriteAsync(uid, cancellationToken).ConfigureAwait(false);
                _queue.Forget(uid);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                var failure = Failure.Of(e);
                Log.StatusWriteFailed(_logger, failure.Level, failure.Trace, uid, failure.Reason);
                _queue.AddRateLimited(uid);
            }
            finally
            {
                _queue.Done(uid);
            }
        }
    }

    private async Task WriteAsync(string uid, CancellationToken cancellationToken)
    {
        Entry? entry;
        lock (_gate)
        {
            entry = _entries.GetValueOrDefault(uid);
        }

        if (entry is null)
        {
            return;
        }

        var pod = Newer(_pods.Get(entry.Namespace, entry.Name), entry.Written);
        if (pod?.Metadata.Uid != uid)
        {
            pod = await _client.GetAsync<V1Pod>(entry.Namespace, entry.Name, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; ; attempt++)
        {
            if (pod is null || pod.Metadata.Uid != uid)
            {
                Forget(uid);
                return;
            }

            var merged = Merge(pod.Status, entry.Wanted, _time.GetUtcNow());
            if (Same(merged, pod.Status))
            {
                return;
            }

            var copy = ObjectCopy.Clone(pod);
            copy.Status = merged;
            try
            {
                var written = await _client.UpdateStatusAsync(copy, cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_entries.TryGetValue(uid, out var current))
                    {
                        _entries[uid] = current with { Written = written };
                    }
                }

                return;
            }
            catch (ConflictException) when (attempt < 5)
            {
                pod = await _client.GetAsync<V1Pod>(entry.Namespace, entry.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                Forget(uid);
                return;
            }
        }
    }

    /// <summary>
    /// The status to write: <paramref name="wanted"/>, with the conditions the kubelet does not own and the fields other
    /// writers set kept from <paramref name="current"/>, and transition times carried over while a condition holds.
    /// </summary>
    internal static V1PodStatus Merge(V1PodStatus? current, V1PodStatus wanted, DateTimeOffset now)
    {
        var merged = ObjectCopy.Clone(wanted);
        var stamp = Seconds(now);
        var conditions = new List<V1PodCondition>();
        foreach (var condition in merged.Conditions ?? [])
        {
            var old = current?.Conditions?.FirstOrDefault(c => c.Type == condition.Type);
            condition.LastTransitionTime = old is not null && old.Status == condition.Status && old.LastTransitionTime is not null
                ? old.LastTransitionTime
                : stamp;
            conditions.Add(condition);
        }

        foreach (var condition in current?.Conditions ?? [])
        {
            if (!PodStatusPlanner.OwnedConditions.Contains(condition.Type))
            {
                conditions.Add(condition);
            }
        }

        merged.Conditions = conditions;
        merged.QosClass = current?.QosClass ?? merged.QosClass;
        merged.StartTime = current?.StartTime ?? merged.StartTime;
        merged.NominatedNodeName = current?.NominatedNodeName;
        return merged;
    }

    private static bool Same(V1PodStatus a, V1PodStatus? b) =>
        b is not null && KubernetesJson.Serialize(a) == KubernetesJson.Serialize(b);

    private static V1Pod? Newer(V1Pod? cached, V1Pod? written)
    {
        if (written is null || cached is null || cached.Metadata.Uid != written.Metadata.Uid)
        {
            return cached ?? written;
        }

        return long.TryParse(cached.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            && long.TryParse(written.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            && b > a ? written : cached;
    }

    /// <summary>metav1.Time has whole seconds.</summary>
    internal static DateTime Seconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    public async ValueTask DisposeAsync()
    {
        _queue.ShutDown();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private sealed record Entry(string Namespace, string Name, V1PodStatus Wanted, V1Pod? Written);

    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 6280, Message = "Could not write the status of pod {Uid}; retrying: {Reason}")]
        public static partial void StatusWriteFailed(ILogger logger, LogLevel level, Exception? exception, string uid, string reason);
    }
}
