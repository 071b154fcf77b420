namespace Berth.Benchmarks.ControlPlane;

/// <summary>Where the scale benchmark's objects live: Service s in namespace s mod N, pod p of Service p / podsPerService.</summary>
internal sealed class ScaleLayout(int services, int podsPerService, int namespaces)
{
    public int Pods => services * podsPerService;

    public string Namespace(int n) => "scale-" + n;

    public string NamespaceOf(int service) => Namespace(service % namespaces);

    public string PodNamespace(int pod) => NamespaceOf(pod / podsPerService);

    public string PodName(int pod) => ClusterObjects.PodName(pod / podsPerService, pod % podsPerService);

    public string PodJson(int pod) => ClusterObjects.Pod(PodNamespace(pod), pod / podsPerService, pod % podsPerService);

    public string PodStatusJson(int pod, bool ready) => ClusterObjects.PodStatus(ClusterObjects.PodIp(pod), ready);
}
