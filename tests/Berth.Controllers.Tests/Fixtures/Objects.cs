using k8s.Models;

namespace Berth.Controllers.Tests.Fixtures;

/// <summary>Hand-built API objects for planner tests.</summary>
internal static class Objects
{
    public static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static V1Service Service(string name = "web", params V1ServicePort[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "svc-uid", Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            ClusterIP = "10.96.0.10",
            IpFamilies = ["IPv4"],
            Ports = ports.Length == 0 ? [Port("http", 80, "8080")] : ports,
        },
    };

    public static V1ServicePort Port(string name, int port, string targetPort, string protocol = "TCP") =>
        new() { Name = name, Port = port, TargetPort = targetPort, Protocol = protocol };

    public static V1Pod Pod(string name, string ip, bool ready = true, string node = "node-a", params V1ContainerPort[] ports) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-" + name,
            ResourceVersion = "1",
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            CreationTimestamp = Now.UtcDateTime.AddHours(-1),
        },
        Spec = new V1PodSpec
        {
            NodeName = node,
            Containers = [new V1Container { Name = "main", Ports = ports.Length == 0 ? null : ports }],
        },
        Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = ip,
            PodIPs = [new V1PodIP { Ip = ip }],
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Now.UtcDateTime.AddMinutes(-10) }],
        },
    };

    public static V1ContainerPort ContainerPort(string name, int number, string protocol = "TCP") =>
        new() { Name = name, ContainerPort = number, Protocol = protocol };

    public static V1Pod Terminating(V1Pod pod)
    {
        pod.Metadata.DeletionTimestamp = Now.UtcDateTime;
        return pod;
    }

    public static Dictionary<string, string?> Zones(params string[] nodes) =>
        nodes.ToDictionary(n => n, n => (string?)("zone-" + n[^1]));
}
