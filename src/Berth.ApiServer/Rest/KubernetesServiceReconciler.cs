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

    public async Task RunAsync(TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await ReconcileAsync(ct).ConfigureAwait(false);
            }
            catch (StatusException e)
            {
                Log.ReconcileFailed(_logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    public async Task ReconcileAsync(CancellationToken ct)
    {
        var services = _registry.Find("", "services")!;
        if (await _objects.GetAsync(services, "default", "kubernetes", ct).ConfigureAwait(false) is null)
        {
            await CreateIgnoringExistsAsync(services, Service(), ct).ConfigureAwait(false);
        }

        var endpoints = _registry.Find("", "endpoints")!;
        if (await _objects.GetAsync(endpoints, "default", "kubernetes", ct).ConfigureAwait(false) is null)
        {
            await CreateIgnoringExistsAsync(endpoints, Endpoints(), ct).ConfigureAwait(false);
        }

        var slices = _registry.Find("discovery.k8s.io", "endpointslices")!;
        if (await _objects.GetAsync(slices, "default", "kubernetes", ct).ConfigureAwait(false) is null)
        {
            await CreateIgnoringExistsAsync(slices, Slice(), ct).ConfigureAwait(false);
        }
    }

    private async Task CreateIgnoringExistsAsync(ResourceInfo resource, k8s.IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        try
        {
            await _rest.CreateInternalAsync(resource, "default", obj, ct).ConfigureAwait(false);
        }
        catch (StatusException e) when (e.Code == 409)
        {
        }
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
