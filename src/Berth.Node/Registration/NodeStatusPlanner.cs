using System.Globalization;
using System.Reflection;
using k8s.Models;

namespace Berth.Node.Registration;

/// <summary>
/// The Node as the agent describes it (the kubelet's <c>initialNode</c> and its status setters in
/// <c>pkg/kubelet/nodestatus/setters.go</c>), and the pure merge of that description into a Node read from the API.
/// No I/O and no clock: time is a parameter.
/// </summary>
internal static class NodeStatusPlanner
{
    /// <summary>What <c>kubectl get nodes</c> shows as VERSION: the Kubernetes API the server speaks, marked as Berth.</summary>
    public const string KubeletVersion = "v1.32.0+berth";

    public const string HostnameLabel = "kubernetes.io/hostname";
    public const string OsLabel = "kubernetes.io/os";
    public const string ArchLabel = "kubernetes.io/arch";

    /// <summary>The kubelet's healthy condition set, in its order, with its reasons and messages.</summary>
    private static readonly (string Type, string Status, string Reason, string Message)[] _healthy =
    [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ];

    /// <summary><c>berth://</c> and the version of this build, as <c>containerd://1.7</c> would read.</summary>
    public static string ContainerRuntimeVersion { get; } =
        "berth://" + (typeof(NodeStatusPlanner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>The Node to register: labels and status (conditions without times; <see cref="ApplyStatus"/> sets them).</summary>
    public static V1Node Desired(NodeAgentOptions options, HostFacts host, int kubeletPort)
    {
        var capacity = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(host.Cpus.ToString(CultureInfo.InvariantCulture)),
            ["memory"] = new(host.MemoryKi.ToString(CultureInfo.InvariantCulture) + "Ki"),
            ["pods"] = new(options.MaxPods.ToString(CultureInfo.InvariantCulture)),
        };
        if (host.EphemeralStorageKi is { } storage)
        {
            capacity["ephemeral-storage"] = new(storage.ToString(CultureInfo.InvariantCulture) + "Ki");
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta
            {
                Name = options.NodeName,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [HostnameLabel] = options.NodeName,
                    [OsLabel] = "linux",
                    [ArchLabel] = host.Architecture,
                    ["beta.kubernetes.io/os"] = "linux",
                    ["beta.kubernetes.io/arch"] = host.Architecture,
                },
            },
            Spec = new V1NodeSpec(),
            Status = new V1NodeStatus
            {
                Capacity = capacity,
                Allocatable = new Dictionary<string, ResourceQuantity>(capacity, StringComparer.Ordinal),
                Addresses =
                [
                    new V1NodeAddress { Type = "InternalIP", Address = options.NodeAddress.ToString() },
                    new V1NodeAddress { Type = "Hostname", Address = host.HostName },
                ],
                DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = kubeletPort } },
                NodeInfo = new V1NodeSystemInfo
                {
                    MachineID = host.MachineId,
                    SystemUUID = host.MachineId,
                    BootID = host.BootId,
                    KernelVersion = host.KernelVersion,
                    OsImage = host.OsImage,
                    ContainerRuntimeVersion = ContainerRuntimeVersion,
                    KubeletVersion = KubeletVersion,
                    KubeProxyVersion = "",
                    OperatingSystem = "linux",
                    Architecture = host.Architecture,
                },
                Conditions = [.. _healthy.Select(c => new V1NodeCondition { Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message })],
            },
        };
    }

    /// <summary>Sets the agent's labels on <paramref name="node"/> (upstream <c>updateDefaultLabels</c>); true when one changed.</summary>
    public static bool ApplyLabels(V1Node node, V1Node desired)
    {
        node.Metadata.Labels ??= new Dictionary<string, string>();
        var changed = false;
        foreach (var (key, value) in desired.Metadata.Labels)
        {
            if (!node.Metadata.Labels.TryGetValue(key, out var current) || current != value)
            {
                node.Metadata.Labels[key] = value;
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// Writes the agent's view into <paramref name="node"/>'s status: capacity, addresses, endpoints, node info, and its
    /// conditions with heartbeat <paramref name="now"/> (the transition time moves only when a status changes; other
    /// writers' conditions are kept). True when anything besides the heartbeats changed.
    /// </summary>
    public static bool ApplyStatus(V1Node node, V1Node desired, DateTime now)
    {
        node.Status ??= new V1NodeStatus();
        var status = node.Status;
        var want = desired.Status;
        var changed = !SameQuantities(status.Capacity, want.Capacity)
            || !SameQuantities(status.Allocatable, want.Allocatable)
            || !(status.Addresses ?? []).Select(a => a.Type + "=" + a.Address).SequenceEqual(want.Addresses.Select(a => a.Type + "=" + a.Address))
            || status.DaemonEndpoints?.KubeletEndpoint?.Port != want.DaemonEndpoints.KubeletEndpoint.Port
            || status.NodeInfo?.KubeletVersion != want.NodeInfo.KubeletVersion
            || status.NodeInfo?.BootID != want.NodeInfo.BootID;
        status.Capacity = new Dictionary<string, ResourceQuantity>(want.Capacity);
        status.Allocatable = new Dictionary<string, ResourceQuantity>(want.Allocatable);
        status.Addresses = [.. want.Addresses];
        status.DaemonEndpoints = want.DaemonEndpoints;
        status.NodeInfo = want.NodeInfo;

        var conditions = status.Conditions ?? [];
        var merged = new List<V1NodeCondition>();
        foreach (var wanted in want.Conditions)
        {
            var current = conditions.FirstOrDefault(c => c.Type == wanted.Type);
            var transitioned = current?.Status != wanted.Status;
            changed |= transitioned || current?.Reason != wanted.Reason || current?.Message != wanted.Message;
            merged.Add(new V1NodeCondition
            {
                Type = wanted.Type,
                Status = wanted.Status,
                Reason = wanted.Reason,
                Message = wanted.Message,
                LastHeartbeatTime = now,
                LastTransitionTime = transitioned || current?.LastTransitionTime is null ? now : current.LastTransitionTime,
            });
        }

        merged.AddRange(conditions.Where(c => want.Conditions.All(w => w.Type != c.Type)));
        status.Conditions = merged;
        return changed;
    }

    /// <summary>The Node's Ready condition status ("True", "False", "Unknown"), or null.</summary>
    public static string? ReadyStatus(V1Node? node) => node?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;

    private static bool SameQuantities(IDictionary<string, ResourceQuantity>? a, IDictionary<string, ResourceQuantity> b) =>
        a is not null && a.Count == b.Count && b.All(kv => a.TryGetValue(kv.Key, out var q) && q.ToString() == kv.Value.ToString());
}
