using System.Net;
using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Rest;

/// <summary>
/// Keeps the <c>default/kubernetes</c> Service (first address of the service CIDR, port https 443 → the API port),
/// its Endpoints and its EndpointSlice pointing at this API server, recreating them when deleted — as Kubernetes'
/// <c>pkg/controlplane/controller/kubernetesservice</c> does.
/// </summary>
internal sealed partial class KubernetesServiceReconciler
{
    private readonly RestHandler _rest;
    private readonly ObjectStore _objects;
    private readonly ResourceRegistry _registry;
    private readonly IPAddress _serviceIp;
    private readonly IPAddress _endpointIp;
    private readonly int _apiPort;
    private readonly ILogger _logger;

    public KubernetesServiceReconciler(RestHandler rest, ObjectStore objects, ResourceRegistry registry, IPAddress serviceIp, IPAddress endpointIp, int apiPort, ILogger logger)
    {
        _rest = rest;
        _objects = objects;
        _registry = registry;
        _serviceIp = serviceIp;
        _endpointIp = endpointIp;
        _apiPort = apiPort;
        _logger = logger;
    }

    public Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken ct) =>
        BootstrapObject.RunAsync(ReconcileAsync, e => Log.ReconcileFailed(_logger, e.Message), interval, time, ct);

    public async Task ReconcileAsync(CancellationToken ct)
    {
        await BootstrapObject.EnsureAsync(_rest, _objects, _registry.Find("", "services")!, Service(), ct).ConfigureAwait(false);
        await BootstrapObject.EnsureAsync(_rest, _objects, _registry.Find("", "endpoints")!, Endpoints(), ct).ConfigureAwait(false);
        await BootstrapObject.EnsureAsync(_rest, _objects, _registry.Find("discovery.k8s.io", "endpointslices")!, Slice(), ct).ConfigureAwait(false);
    }

    private V1Service Service() => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = "kubernetes",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["component"] = "apiserver", ["provider"] = "kubernetes" },
        },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = _serviceIp.ToString(),
            ClusterIPs = [_serviceIp.ToString()],
            SessionAffinity = "None",
            IpFamilyPolicy = "SingleStack",
            Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP", TargetPort = _apiPort }],
        },
    };

    private V1Endpoints Endpoints() => new()
    {
        ApiVersion = "v1",
        Kind = "Endpoints",
        Metadata = new V1ObjectMeta
        {
            Name = "kubernetes",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
        },
        Subsets =
        [
            new V1EndpointSubset
            {
                Addresses = [new V1EndpointAddress { Ip = _endpointIp.ToString() }],
                Ports = [new Corev1EndpointPort { Name = "https", Port = _apiPort, Protocol = "TCP" }],
            },
        ],
    };

    private V1EndpointSlice Slice() => new()
    {
        ApiVersion = "discovery.k8s.io/v1",
        Kind = "EndpointSlice",
        Metadata = new V1ObjectMeta
        {
            Name = "kubernetes",
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "kubernetes" },
        },
        AddressType = "IPv4",
        Endpoints = [new V1Endpoint { Addresses = [_endpointIp.ToString()], Conditions = new V1EndpointConditions { Ready = true } }],
        Ports = [new Discoveryv1EndpointPort { Name = "https", Port = _apiPort, Protocol = "TCP" }],
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "keeping the kubernetes Service failed: {Reason}")]
        public static partial void ReconcileFailed(ILogger logger, string reason);
    }
}
