using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Berth.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

/// <summary>
/// Records the kubelet's events about pods and their containers (source component <c>kubelet</c>, host = node name,
/// <c>involvedObject.fieldPath</c> = <c>spec.containers{name}</c>) and about the node itself, as Berth.Controllers' EventRecorder does for the
/// controllers: a repeat within <see cref="DedupWindow"/> bumps <c>count</c>/<c>lastTimestamp</c> of the first event.
/// Recording is queued and written by one background loop, so a pod worker never waits for the API; when the queue
/// is full the oldest event is dropped. Failures are logged, never thrown.
/// </summary>
internal sealed partial class PodEventRecorder : IAsyncDisposable
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
    public const string Component = "kubelet";

    public static readonly TimeSpan DedupWindow = TimeSpan.FromMinutes(10);

    private readonly IApiClient _client;
    private readonly string _host;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Request> _queue = Channel.CreateBounded<Request>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Dictionary<(string Uid, string FieldPath, string Type, string Reason, string Message), Seen> _seen = [];
    private readonly Task _loop;
    private long _sequence;

    public PodEventRecorder(IApiClient client, string host, TimeProvider time, ILogger logger)
    {
        _client = client;
        _host = host;
        _time = time;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues an event about <paramref name="pod"/> (or one of its containers when <paramref name="fieldPath"/> is set).</summary>
    public void Record(V1Pod pod, string? fieldPath, string type, string reason, string message)
    {
        var meta = pod.Metadata;
        var involved = new V1ObjectReference
        {
            Kind = "Pod",
            ApiVersion = "v1",
            Name = meta.Name,
            NamespaceProperty = meta.NamespaceProperty,
            Uid = meta.Uid,
            ResourceVersion = meta.ResourceVersion,
            FieldPath = fieldPath,
        };
        _queue.Writer.TryWrite(new Request(involved, meta.NamespaceProperty ?? "default", type, reason, message, _time.GetUtcNow()));
    }

    /// <summary>
    /// Queues an event about this node, as the kubelet's nodeRef: kind Node, name and UID the node's name, in the
    /// <c>default</c> namespace.
    /// </summary>
    public void RecordNode(string type, string reason, string message)
    {
        var involved = new V1ObjectReference { Kind = "Node", Name = _host, Uid = _host };
        _queue.Writer.TryWrite(new Request(involved, "default", type, reason, message, _time.GetUtcNow()));
    }

    /// <summary>The field path of a container, as the kubelet's GenerateContainerRef.</summary>
    public static string ContainerPath(string name, bool init) => (init ? "spec.initContainers{" : "spec.containers{") + name + "}";

    private async Task LoopAsync()
    {
        await foreach (var request in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await WriteAsync(request).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                Log.RecordFailed(_logger, Failure.Of(e).Level, e.Message, request.Reason, request.Involved.Kind + " " + ObjectKeys.Of(request.Involved.NamespaceProperty, request.Involved.Name));
            }
        }
    }

    private async Task WriteAsync(Request request)
    {
        var involved = request.Involved;
        var key = (involved.Uid ?? ObjectKeys.Of(involved.NamespaceProperty, involved.Name), involved.FieldPath ?? string.Empty, request.Type, request.Reason, request.Message);
        if (_seen.TryGetValue(key, out var seen) && request.Time - seen.First < DedupWindow)
        {
            seen = seen with { Count = seen.Count + 1 };
            _seen[key] = seen;
            var patch = new JsonObject
            {
                ["count"] = seen.Count,
                ["lastTimestamp"] = Seconds(request.Time).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            };
            try
            {
                await _client.PatchAsync<Corev1Event>(seen.Namespace, seen.Name, V1Patch.PatchType.MergePatch, patch.ToJsonString(), CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                // The event expired: create it again.
            }
        }

        if (_seen.Count > 4096)
        {
            foreach (var (old, value) in _seen.ToList())
            {
                if (request.Time - value.First >= DedupWindow)
                {
                    _seen.Remove(old);
                }
            }
        }

        var nanos = ((request.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100) + (++_sequence % 100);
        var timestamp = Seconds(request.Time).UtcDateTime;
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = involved.Name + "." + nanos.ToString("x", CultureInfo.InvariantCulture),
                NamespaceProperty = request.Namespace,
            },
            InvolvedObject = involved,
            Type = request.Type,
            Reason = request.Reason,
            Message = request.Message,
            FirstTimestamp = timestamp,
            LastTimestamp = timestamp,
            Count = 1,
            Source = new V1EventSource { Component = Component, Host = _host },
            ReportingComponent = Component,
            ReportingInstance = _host,
        };
        var created = await _client.CreateAsync(ev, CancellationToken.None).ConfigureAwait(false);
        _seen[key] = new Seen(created.Metadata.NamespaceProperty, created.Metadata.Name, 1, request.Time);
    }

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5), _time).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    private sealed record Request(V1ObjectReference Involved, string Namespace, string Type, string Reason, string Message, DateTimeOffset Time);

    private sealed record Seen(string Namespace, string Name, int Count, DateTimeOffset First);

    private static partial class Log
    {
        /// <summary>Debug when the pod or its namespace went away (404/409), else a Warning; events are best effort, as in the kubelet.</summary>
        [LoggerMessage(EventId = 6290, Message = "Could not record event {Reason} about pod {Pod}: {Error}; the event is dropped")]
        public static partial void RecordFailed(ILogger logger, LogLevel level, string error, string reason, string pod);
    }
}
