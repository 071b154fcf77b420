using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Core.Resources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Client.Events;

/// <summary>
/// Writes core/v1 Events about objects, as client-go's record.EventRecorder does for <c>kubectl describe</c>: a repeat
/// of the same (object, type, reason, message, component) within <see cref="DedupWindow"/> increments the first
/// event's <c>count</c> and <c>lastTimestamp</c> (a merge PATCH) instead of creating another one
/// (tools/record/events_cache.go). Recording is best effort: API failures are logged, never thrown.
/// </summary>
public sealed partial class EventRecorder
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    /// <summary>How long a recorded event absorbs repeats.</summary>
    public static readonly TimeSpan DedupWindow = TimeSpan.FromMinutes(10);

    /// <summary>Past this many remembered events, those outside the window are forgotten.</summary>
    private const int PruneThreshold = 4096;

    private readonly IApiClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<EventKey, Seen> _seen = [];
    private long _sequence;

    public EventRecorder(IApiClient client, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Records an event of <paramref name="type"/> (<see cref="Normal"/> or <see cref="Warning"/>) about <paramref name="obj"/>.</summary>
    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message, string component, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(obj.Metadata?.Name, nameof(obj));
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentException.ThrowIfNullOrEmpty(component);
        if (type is not (Normal or Warning))
        {
            throw new ArgumentException($"event type must be {Normal} or {Warning}, not {type}", nameof(type));
        }

        var meta = obj.Metadata;
        var now = _time.GetUtcNow();
        var key = new EventKey(meta.Uid ?? ObjectKeys.Of(obj), type, reason, message ?? string.Empty, component);
        Seen? repeat = null;
        lock (_gate)
        {
            if (_seen.TryGetValue(key, out var seen) && now - seen.Last < DedupWindow)
            {
                repeat = seen with { Count = seen.Count + 1, Last = now };
                _seen[key] = repeat;
            }
        }

        try
        {
            if (repeat is not null && await IncrementAsync(repeat, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            var created = await _client.CreateAsync(NewEvent(obj, type, reason, message ?? string.Empty, component, now), cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                Prune(now);
                _seen[key] = new Seen(created.Metadata.NamespaceProperty, created.Metadata.Name, 1, now);
            }
        }
        catch (Exception e) when (e is ApiException or HttpRequestException)
        {
            var failure = Failure.Of(e);
            Log.RecordFailed(_logger, failure.Level, reason, ObjectKeys.Of(obj), failure.Reason);
        }
    }

    /// <summary>Bumps count and lastTimestamp of an event recorded before; false when that event is gone.</summary>
    private async Task<bool> IncrementAsync(Seen seen, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["count"] = seen.Count,
            ["lastTimestamp"] = Seconds(seen.Last).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        try
        {
            await _client.PatchAsync<Corev1Event>(seen.Namespace, seen.Name, V1Patch.PatchType.MergePatch, patch.ToJsonString(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    private Corev1Event NewEvent(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message, string component, DateTimeOffset now)
    {
        var meta = obj.Metadata;
        var resource = ResourceRegistry.Default.All.FirstOrDefault(r => r.ModelType == obj.GetType());

        // client-go names events <object>.<unix nanoseconds in hex>; the sequence keeps two in one tick apart.
        var nanos = ((now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100) + (Interlocked.Increment(ref _sequence) % 100);
        var timestamp = Seconds(now).UtcDateTime;
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = meta.Name + "." + nanos.ToString("x", CultureInfo.InvariantCulture),
                NamespaceProperty = string.IsNullOrEmpty(meta.NamespaceProperty) ? "default" : meta.NamespaceProperty,
            },
            InvolvedObject = new V1ObjectReference
            {
                Kind = obj.Kind ?? resource?.Kind,
                ApiVersion = obj.ApiVersion ?? resource?.ApiVersion,
                Name = meta.Name,
                NamespaceProperty = meta.NamespaceProperty,
                Uid = meta.Uid,
                ResourceVersion = meta.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            FirstTimestamp = timestamp,
            LastTimestamp = timestamp,
            Count = 1,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
        };
    }

    /// <summary>Event timestamps are metav1.Time: whole seconds.</summary>
    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private void Prune(DateTimeOffset now)
    {
        if (_seen.Count < PruneThreshold)
        {
            return;
        }

        foreach (var (key, seen) in _seen.ToList())
        {
            if (now - seen.Last >= DedupWindow)
            {
                _seen.Remove(key);
            }
        }
    }

    private readonly record struct EventKey(string Object, string Type, string Reason, string Message, string Component);

    private sealed record Seen(string Namespace, string Name, int Count, DateTimeOffset Last);

    /// <summary>Event ids 3040–3059 (see src/Berth.Client/README.md).</summary>
    private static partial class Log
    {
        /// <summary>Debug when the namespace or object went away (404/409), else a Warning; events are best effort, as in client-go.</summary>
        [LoggerMessage(EventId = 3040, Message = "Could not record event {Reason} about {Object}: {Error}; the event is dropped")]
        public static partial void RecordFailed(ILogger logger, LogLevel level, string reason, string @object, string error);
    }
}
