using Berth.ApiServer.Authorization;
using k8s.Models;

namespace Berth.ApiServer.Admission;

/// <summary>
/// NodeRestriction admission (kubernetes <c>plugin/pkg/admission/noderestriction/admission.go</c>): a node
/// (<c>system:node:&lt;name&gt;</c>) may change only its own Node (not its taints, nor labels outside the kubelet's
/// set), its own Lease, and the status of pods bound to it; it may delete only pods bound to it and create only mirror
/// pods of itself. Berth adds one rule for its node DNS: a node writes only the EndpointSlice
/// <c>kube-system/kube-dns-&lt;node&gt;</c>. Messages are Kubernetes'.
/// </summary>
internal sealed class NodeRestriction : IAdmissionPlugin
{
    /// <summary>The annotation of a mirror pod (<c>api.MirrorPodAnnotationKey</c>).</summary>
    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    /// <summary>Kubelet labels a node may set on itself (<c>k8s.io/kubelet/pkg/apis.IsKubeletLabel</c>).</summary>
    private static readonly HashSet<string> _kubeletLabels =
    [
        "kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch", "beta.kubernetes.io/os", "beta.kubernetes.io/arch",
        "beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type", "failure-domain.beta.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/region", "topology.kubernetes.io/zone",
    ];

    private static readonly string[] _kubeletLabelNamespaces = ["kubelet.kubernetes.io", "node.kubernetes.io"];

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var (isNode, nodeName) = request.User.NodeIdentity();
        if (!isNode)
        {
            return ValueTask.CompletedTask;
        }

        if (nodeName.Length == 0)
        {
            throw request.Forbidden($"could not determine node from user {PolicyRules.GoQuote(request.User.Name)}");
        }

        switch ((request.Resource.Group, request.Resource.Plural))
        {
            case ("", "pods"):
                AdmitPod(nodeName, request);
                break;
            case ("", "nodes"):
                AdmitNode(nodeName, request);
                break;
            case ("coordination.k8s.io", "leases"):
                AdmitLease(nodeName, request);
                break;
            case ("discovery.k8s.io", "endpointslices"):
                AdmitEndpointSlice(nodeName, request);
                break;
            default:
                break;
        }

        return ValueTask.CompletedTask;
    }

    private static void AdmitPod(string nodeName, AdmissionRequest request)
    {
        var node = PolicyRules.GoQuote(nodeName);
        switch (request.Subresource)
        {
            case "":
                switch (request.Operation)
                {
                    case AdmissionOperation.Create:
                        AdmitMirrorPod(nodeName, (V1Pod)request.Object!, request);
                        return;
                    case AdmissionOperation.Delete:
                        if (((V1Pod)request.OldObject!).Spec?.NodeName != nodeName)
                        {
                            throw request.Forbidden($"node {node} can only delete pods with spec.nodeName set to itself");
                        }

                        return;
                    default:
                        throw request.Forbidden($"unexpected operation {PolicyRules.GoQuote(request.OperationName)}, node {node} can only create and delete mirror pods");
                }

            case "status":
                if (request.Operation != AdmissionOperation.Update)
                {
                    throw request.Forbidden($"unexpected operation {PolicyRules.GoQuote(request.OperationName)}");
                }

                var old = (V1Pod)request.OldObject!;
                if (old.Spec?.NodeName != nodeName)
                {
                    throw request.Forbidden($"node {node} can only update pod status for pods with spec.nodeName set to itself");
                }

                if (!SameLabels(old.Metadata?.Labels, request.Object!.Metadata?.Labels))
                {
                    throw request.Forbidden($"node {node} cannot update labels through pod status");
                }

                return;
            default:
                throw request.Forbidden($"unexpected pod subresource {PolicyRules.GoQuote(request.Subresource)}, only 'status' and 'eviction' are allowed");
        }
    }

    /// <summary><c>admitPodCreate</c>: only a mirror pod bound to the node, owned by it, referencing no other object.</summary>
    private static void AdmitMirrorPod(string nodeName, V1Pod pod, AdmissionRequest request)
    {
        var node = PolicyRules.GoQuote(nodeName);
        if (pod.Metadata?.Annotations?.ContainsKey(MirrorPodAnnotation) != true)
        {
            throw request.Forbidden($"pod does not have \"{MirrorPodAnnotation}\" annotation, node {node} can only create mirror pods");
        }

        if (pod.Spec?.NodeName != nodeName)
        {
            throw request.Forbidden($"node {node} can only create pods with spec.nodeName set to itself");
        }

        var owners = pod.Metadata.OwnerReferences ?? [];
        if (owners.Count > 1)
        {
            throw request.Forbidden($"node {node} can only create pods with a single owner reference set to itself");
        }

        if (owners.Count == 0 || owners[0] is not { ApiVersion: "v1", Kind: "Node" } owner || owner.Name != nodeName)
        {
            throw request.Forbidden($"node {node} can only create pods with an owner reference set to itself");
        }

        if (owner.Controller != true)
        {
            throw request.Forbidden($"node {node} can only create pods with a controller owner reference set to itself");
        }

        if (owner.BlockOwnerDeletion == true)
        {
            throw request.Forbidden($"node {node} must not set blockOwnerDeletion on an owner reference");
        }

        if (!string.IsNullOrEmpty(pod.Spec.ServiceAccountName))
        {
            throw request.Forbidden($"node {node} can not create pods that reference a service account");
        }

        if (NodePodReferences.References(pod, PodReference.Secret).Any())
        {
            throw request.Forbidden($"node {node} can not create pods that reference secrets");
        }

        if (NodePodReferences.References(pod, PodReference.ConfigMap).Any())
        {
            throw request.Forbidden($"node {node} can not create pods that reference configmaps");
        }

        if ((pod.Spec.Volumes ?? []).Any(v => v?.PersistentVolumeClaim is not null))
        {
            throw request.Forbidden($"node {node} can not create pods that reference persistentvolumeclaims");
        }
    }

    /// <summary><c>admitNode</c>: its own Node only; no taint changes; only kubelet labels.</summary>
    private static void AdmitNode(string nodeName, AdmissionRequest request)
    {
        var node = PolicyRules.GoQuote(nodeName);
        var requested = request.Name.Length > 0 ? request.Name : request.Object?.Metadata?.Name ?? "";
        if (requested != nodeName)
        {
            throw request.Forbidden($"node {node} is not allowed to modify node {PolicyRules.GoQuote(requested)}");
        }

        switch (request.Operation)
        {
            case AdmissionOperation.Create:
                var created = (V1Node)request.Object!;
                if (Forbidden(Modified(created.Metadata?.Labels, null)) is { Length: > 0 } set)
                {
                    throw request.Forbidden($"node {node} is not allowed to set the following labels: {set}");
                }

                return;
            case AdmissionOperation.Update:
                var updated = (V1Node)request.Object!;
                var old = (V1Node)request.OldObject!;
                if (!SameTaints(updated.Spec?.Taints, old.Spec?.Taints))
                {
                    throw request.Forbidden($"node {node} is not allowed to modify taints");
                }

                if (Forbidden(Modified(updated.Metadata?.Labels, old.Metadata?.Labels)) is { Length: > 0 } changed)
                {
                    throw request.Forbidden($"is not allowed to modify labels: {changed}");
                }

                return;
            default:
                return;
        }
    }

    /// <summary><c>admitLease</c>: the node's own Lease in kube-node-lease.</summary>
    private static void AdmitLease(string nodeName, AdmissionRequest request)
    {
        if (request.Namespace != "kube-node-lease")
        {
            throw request.Forbidden("can only access leases in the \"kube-node-lease\" system namespace");
        }

        var name = request.Operation == AdmissionOperation.Create ? request.Object?.Metadata?.Name : request.Name;
        if (name != nodeName)
        {
            throw request.Forbidden("can only access node lease with the same name as the requesting node");
        }
    }

    /// <summary>Berth: a node's DNS server writes only its own slice of the kube-dns Service.</summary>
    private static void AdmitEndpointSlice(string nodeName, AdmissionRequest request)
    {
        var expected = "kube-dns-" + nodeName;
        var name = request.Operation == AdmissionOperation.Create ? request.Object?.Metadata?.Name : request.Name;
        if (request.Namespace != "kube-system" || name != expected)
        {
            throw request.Forbidden($"node {PolicyRules.GoQuote(nodeName)} can only write the EndpointSlice \"{expected}\" in the \"kube-system\" namespace");
        }
    }

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(kv => b!.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static bool SameTaints(IList<V1Taint>? a, IList<V1Taint>? b) =>
        k8s.KubernetesJson.Serialize(a ?? []) == k8s.KubernetesJson.Serialize(b ?? []);

    /// <summary><c>getModifiedLabels</c>: keys added, removed or changed.</summary>
    private static SortedSet<string> Modified(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        var modified = new SortedSet<string>(StringComparer.Ordinal);
        a ??= new Dictionary<string, string>();
        b ??= new Dictionary<string, string>();
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || other != value)
            {
                modified.Add(key);
            }
        }

        foreach (var key in b.Keys.Where(k => !a.ContainsKey(k)))
        {
            modified.Add(key);
        }

        return modified;
    }

    /// <summary><c>getForbiddenLabels</c>: node-restriction.kubernetes.io labels, and Kubernetes labels that are not the kubelet's.</summary>
    private static string Forbidden(SortedSet<string> modified) =>
        string.Join(", ", modified.Where(label =>
        {
            var slash = label.IndexOf('/', StringComparison.Ordinal);
            var ns = slash < 0 ? "" : label[..slash];
            var restricted = ns == "node-restriction.kubernetes.io" || ns.EndsWith(".node-restriction.kubernetes.io", StringComparison.Ordinal);
            var kubernetes = ns is "kubernetes.io" or "k8s.io" || ns.EndsWith(".kubernetes.io", StringComparison.Ordinal) || ns.EndsWith(".k8s.io", StringComparison.Ordinal);
            return restricted || (kubernetes && !IsKubeletLabel(label, ns));
        }));

    private static bool IsKubeletLabel(string label, string ns) =>
        _kubeletLabels.Contains(label) || _kubeletLabelNamespaces.Any(n => ns == n || ns.EndsWith("." + n, StringComparison.Ordinal));
}
