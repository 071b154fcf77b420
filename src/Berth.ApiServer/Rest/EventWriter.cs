using System.Collections.Concurrent;
using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Rest;

/// <summary>
/// Events the API server itself reports (repair loops), written through the normal create path. A repeat of the same
/// reason for the same object within <see cref="Quiet"/> is not written again.
/// </summary>
internal sealed class EventWriter
{
    private static readonly TimeSpan _quiet = TimeSpan.FromMinutes(10);

    private readonly RestHandler _rest;
    private readonly ResourceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Uid, string Reason), DateTimeOffset> _recent = new();

    public EventWriter(RestHandler rest, ResourceRegistry registry, TimeProvider time)
    {
        _rest = rest;
        _registry = registry;
        _time = time;
    }

    public async Task WarnAsync(IKubernetesObject<V1ObjectMeta> obj, string reason, string message, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var key = (obj.Metadata.Uid ?? obj.Metadata.Name, reason);
        if (_recent.TryGetValue(key, out var last) && now - last < _quiet)
        {
            return;
        }

        _recent[key] = now;
        var ev = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            // Named as client-go's recorder names events: <object>.<nanoseconds in hex>.
            Metadata = new V1ObjectMeta
            {
                Name = obj.Metadata.Name + "." + ((now.UtcTicks - DateTime.UnixEpoch.Ticks) * 100).ToString("x", System.Globalization.CultureInfo.InvariantCulture),
                NamespaceProperty = obj.Metadata.NamespaceProperty ?? "default",
            },
            InvolvedObject = new V1ObjectReference
            {
                Kind = obj.Kind,
                ApiVersion = obj.ApiVersion,
                Name = obj.Metadata.Name,
                NamespaceProperty = obj.Metadata.NamespaceProperty,
                Uid = obj.Metadata.Uid,
                ResourceVersion = obj.Metadata.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = "Warning",
            Source = new V1EventSource { Component = "berth-apiserver" },
            ReportingComponent = "berth-apiserver",
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        };
        try
        {
            await _rest.CreateInternalAsync(_registry.Find("", "events")!, ev.Metadata.NamespaceProperty, ev, ct).ConfigureAwait(false);
        }
        catch (StatusException)
        {
            // An event that cannot be written (namespace going away) is not worth failing a repair pass for.
        }
    }
}
