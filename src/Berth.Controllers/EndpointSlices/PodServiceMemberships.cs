using Berth.Client.Informers;
using Berth.Controllers.Common;
using Berth.Core.Selectors;
using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// Which Services a pod change concerns (upstream <c>endpointsliceutil.GetPodServiceMemberships</c>,
/// <c>GetServicesToUpdateOnPodChange</c> and <c>podEndpointsChanged</c>), shared by the EndpointSlice and Endpoints
/// controllers. Runs in informer handlers: reads caches only.
/// </summary>
internal static class PodServiceMemberships
{
    /// <summary>
    /// The handlers both endpoint controllers register: a Service change syncs that Service, a pod change syncs the
    /// Services it concerns.
    /// </summary>
    public static void EnqueueOnChanges(Informer<V1Service> services, Informer<V1Pod> pods, Action<string> enqueue, Action<IEnumerable<string>> enqueueAll)
    {
        var lister = services.Lister;
        services.AddHandler(new InformerHandler<V1Service>
        {
            Added = (s, _) => enqueue(Berth.Client.ObjectKeys.Of(s)),
            Updated = (o, s) =>
            {
                if (o.Metadata.ResourceVersion != s.Metadata.ResourceVersion)
                {
                    enqueue(Berth.Client.ObjectKeys.Of(s));
                }
            },
            Deleted = s => enqueue(Berth.Client.ObjectKeys.Of(s)),
        });
        pods.AddHandler(new InformerHandler<V1Pod>
        {
            Added = (p, _) => enqueueAll(Of(lister, p)),
            Updated = (o, p) => enqueueAll(ToUpdate(lister, o, p)),
            Deleted = p => enqueueAll(Of(lister, p)),
        });
    }

    /// <summary>
    /// Keys of the Services in the pod's namespace whose selector matches its labels. A Service without a selector
    /// (absent or empty: <c>selector: {}</c> does not survive storage) selects nothing.
    /// </summary>
    public static HashSet<string> Of(ILister<V1Service> services, V1Pod pod)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        AddMatching(services, pod, keys);
        return keys;
    }

    /// <summary>
    /// Keys of the Services to sync after a pod update: none when nothing endpoint-relevant changed (a no-op update
    /// records nothing); the Services of the new labels, plus those of the old labels when the labels changed.
    /// </summary>
    public static HashSet<string> ToUpdate(ILister<V1Service> services, V1Pod oldPod, V1Pod newPod)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (oldPod.Metadata?.ResourceVersion == newPod.Metadata?.ResourceVersion)
        {
            return keys; // a resync re-delivers the same object
        }

        var labelsChanged = !ObjectCopy.MapsEqual(oldPod.Metadata?.Labels, newPod.Metadata?.Labels);
        if (!labelsChanged && !EndpointsChanged(oldPod, newPod))
        {
            return keys;
        }

        AddMatching(services, newPod, keys);
        if (labelsChanged)
        {
            AddMatching(services, oldPod, keys);
        }

        return keys;
    }

    /// <summary>True when a change could alter the pod's endpoints: IPs, readiness, deletion, phase, placement, ports, hostname.</summary>
    public static bool EndpointsChanged(V1Pod a, V1Pod b) =>
        !PodUtil.PodIps(a).SequenceEqual(PodUtil.PodIps(b), StringComparer.Ordinal)
        || PodUtil.IsReady(a) != PodUtil.IsReady(b)
        || a.Metadata?.DeletionTimestamp != b.Metadata?.DeletionTimestamp
        || PodUtil.IsTerminal(a) != PodUtil.IsTerminal(b)
        || a.Spec?.NodeName != b.Spec?.NodeName
        || a.Spec?.Hostname != b.Spec?.Hostname
        || a.Spec?.Subdomain != b.Spec?.Subdomain
        || PortsKey(a) != PortsKey(b);

    private static void AddMatching(ILister<V1Service> services, V1Pod pod, HashSet<string> keys)
    {
        foreach (var service in services.List(pod.Metadata?.NamespaceProperty))
        {
            if (service.Spec?.Selector is { Count: > 0 } selector && SelectorMatches(selector, pod.Metadata?.Labels))
            {
                keys.Add(Berth.Client.ObjectKeys.Of(service));
            }
        }
    }

    /// <summary>
    /// A Service selector is a map of equalities (<c>labels.SelectorFromSet</c>): matched in place rather than parsed
    /// into a <see cref="LabelSelector"/> — this runs for every Service of the namespace on every pod event.
    /// </summary>
    private static bool SelectorMatches(IDictionary<string, string> selector, IDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return false;
        }

        foreach (var (key, value) in selector)
        {
            if (!labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string PortsKey(V1Pod pod) =>
        string.Join(
            ';',
            (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? [])
                .SelectMany(c => (c.Ports ?? []).Select(p => c.RestartPolicy + "/" + p.Name + "/" + p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + p.Protocol)));
}
