using System.Globalization;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>
/// The objects of the issue-3 benchmarks as JSON: one Ready node, Services <c>svc-{i}</c> selecting <c>app=svc-{i}</c>,
/// pods <c>svc-{i}-{j}</c> bound to the node, and the pod status a kubelet would write (podIP on loopback, Ready).
/// </summary>
internal static class ClusterObjects
{
    public const string NodeName = "bench-node";

    public static string Namespace(string name) => $$$"""{"metadata":{"name":"{{{name}}}"}}""";

    public static string Node() =>
        $$$$"""{"metadata":{"name":"{{{{NodeName}}}}","labels":{"kubernetes.io/hostname":"{{{{NodeName}}}}"}}}""";

    public static string NodeStatus() =>
        $$$"""{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"benchmark"}],"addresses":[{"type":"InternalIP","address":"127.0.0.1"}]}}""";

    public static string Service(string ns, int service) =>
        $$$"""{"metadata":{"name":"svc-{{{service}}}","namespace":"{{{ns}}}"},"spec":{"selector":{"app":"svc-{{{service}}}"},"ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"}]}}""";

    public static string PodName(int service, int replica) => $"svc-{service}-{replica}";

    public static string Pod(string ns, int service, int replica) =>
        $$$"""{"metadata":{"name":"{{{PodName(service, replica)}}}","namespace":"{{{ns}}}","labels":{"app":"svc-{{{service}}}"}},"spec":{"nodeName":"{{{NodeName}}}","containers":[{"name":"main","image":"bench","ports":[{"name":"http","containerPort":8080}]}]}}""";

    /// <summary>The status patch a kubelet writes: Running, the pod IP, and Ready / ContainersReady as given.</summary>
    public static string PodStatus(string ip, bool ready)
    {
        var status = ready ? "True" : "False";
        return $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","podIPs":[{"ip":"{{{ip}}}"}],"conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"{{{status}}}"},{"type":"ContainersReady","status":"{{{status}}}"},{"type":"PodScheduled","status":"True"}]}}""";
    }

    /// <summary>
    /// Pod number <paramref name="n"/>'s address on loopback: 127.244.x.y for the first 64,516, then 127.245.x.y (the
    /// scale benchmark's 100,000 pods do not fit one /16).
    /// </summary>
    public static string PodIp(int n)
    {
        var block = n / (254 * 254);
        var rest = n % (254 * 254);
        return string.Create(CultureInfo.InvariantCulture, $"127.{244 + block}.{(rest / 254) + 1}.{(rest % 254) + 1}");
    }

    public static string PodsPath(string ns) => $"/api/v1/namespaces/{ns}/pods";

    public static string PodStatusPath(string ns, string name) => $"/api/v1/namespaces/{ns}/pods/{name}/status";

    public static string ServicesPath(string ns) => $"/api/v1/namespaces/{ns}/services";
}
