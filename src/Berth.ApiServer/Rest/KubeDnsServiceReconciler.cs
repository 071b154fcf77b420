using System.Net;
using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Rest;

/// <summary>
/// Keeps the <c>kube-system/kube-dns</c> Service: ClusterIP the 10th address of the service CIDR (Kubernetes'
/// convention: 10.96.0.10; host mode 127.96.0.10), ports <c>dns</c> 53/UDP, <c>dns-tcp</c> 53/TCP and <c>metrics</c>
/// 9153/TCP, kubeadm's labels, no selector, recreated when deleted (as <see cref="KubernetesServiceReconciler"/> keeps
/// <c>default/kubernetes</c>). Each node's DNS server binds that ClusterIP itself and publishes an EndpointSlice naming
/// its listener; the label <c>service.kubernetes.io/service-proxy-name: berth-dns</c> tells the service proxy to leave
/// the address alone.
/// </summary>
internal sealed partial class KubeDnsServiceReconciler
{
    public const string ProxyName = "berth-dns";

    private readonly RestHandler _rest;
    private readonly ObjectStore _objects;
    private readonly ResourceRegistry _registry;
    private readonly IPAddress _clusterIp;
    private readonly ILogger _logger;

    public KubeDnsServiceReconciler(RestHandler rest, ObjectStore objects, ResourceRegistry registry, IPAddress clusterIp, ILogger logger)
    {
        _rest = rest;
        _objects = objects;
        _registry = registry;
        _clusterIp = clusterIp;
        _logger = logger;
    }

    public Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken ct) =>
        BootstrapObject.RunAsync(ReconcileAsync, Refused, interval, time, ct);

    /// <summary>Creates the Service when it is missing; a refusal is logged, never thrown (start must not fail on it).</summary>
    public async Task ReconcileAsync(CancellationToken ct)
    {
        try
        {
            await BootstrapObject.EnsureAsync(_rest, _objects, _registry.Find("", "services")!, Service(), ct).ConfigureAwait(false);
        }
        catch (StatusException e)
        {
            Refused(e);
        }
    }

    // The address is taken by a user's Service (only possible in ranges too small for a static band).
    private void Refused(StatusException e) => Log.ReconcileFailed(_logger, _clusterIp.ToString(), e.Message);

    private V1Service Service() => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = "kube-dns",
            NamespaceProperty = "kube-system",
            Labels = new Dictionary<string, string>
            {
                ["k8s-app"] = "kube-dns",
                ["kubernetes.io/cluster-service"] = "true",
                ["kubernetes.io/name"] = "KubeDNS",
                ["service.kubernetes.io/service-proxy-name"] = ProxyName,
            },
            Annotations = new Dictionary<string, string> { ["prometheus.io/port"] = "9153", ["prometheus.io/scrape"] = "true" },
        },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = _clusterIp.ToString(),
            ClusterIPs = [_clusterIp.ToString()],
            SessionAffinity = "None",
            IpFamilyPolicy = "SingleStack",
            Ports =
            [
                new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP", TargetPort = 53 },
                new V1ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP", TargetPort = 53 },
                new V1ServicePort { Name = "metrics", Port = 9153, Protocol = "TCP", TargetPort = 9153 },
            ],
        },
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "keeping the kube-dns Service at {ClusterIp} failed: {Reason}")]
        public static partial void ReconcileFailed(ILogger logger, string clusterIp, string reason);
    }
}
