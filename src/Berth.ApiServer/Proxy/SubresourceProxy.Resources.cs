using System.Globalization;
using System.Net;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.ApiServer.Proxy;

internal sealed partial class SubresourceProxy
{
    private static readonly string[] _schemes = ["", "http", "https"];

    /// <summary>
    /// <c>{pods|services|nodes}/[scheme:]name[:port]/proxy/{path}</c>: every verb, query and body kept; <c>GET|HEAD …/proxy</c>
    /// without the trailing slash is redirected (301) to <c>…/proxy/</c>, as kube-apiserver does.
    /// </summary>
    private async Task ProxyAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var (scheme, name, port) = SplitSchemeNamePort(request.Name!) ?? throw StatusErrors.BadRequest($"invalid request {request.Name}");
        var (prefix, subPath) = SplitRawPath(context, request.Resource.Plural);
        if (subPath is null)
        {
            if (context.Request.Method is "GET" or "HEAD")
            {
                context.Response.StatusCode = 301;
                context.Response.Headers.Location = prefix + "/" + (context.Request.QueryString.Value ?? "");
                return;
            }

            subPath = "/";
        }

        var target = request.Resource.Plural switch
        {
            "pods" => await PodTargetAsync(request, scheme, name, port, ct).ConfigureAwait(false),
            "services" => await ServiceTargetAsync(request, scheme, name, port, ct).ConfigureAwait(false),
            "nodes" => await NodeTargetAsync(scheme, name, port, ct).ConfigureAwait(false),
            _ => throw StatusErrors.PathNotFound(),
        };
        var pathAndQuery = subPath + (context.Request.QueryString.Value ?? "");
        Log.Proxying(_logger, "proxy", request.Resource.Plural, request.Namespace ?? "", request.Name!, target.Authority);
        if (UpgradeProxy.IsUpgradeRequest(context))
        {
            await UpgradeProxy.ProxyAsync(context, _kubelets, target, pathAndQuery, ct).ConfigureAwait(false);
            return;
        }

        await HttpForwarder.ForwardAsync(context, _kubelets.Http, target.Uri(pathAndQuery), ct).ConfigureAwait(false);
    }

    /// <summary>apimachinery's SplitSchemeNamePort: <c>name</c>, <c>name:port</c> or <c>scheme:name:port</c>, scheme http or https.</summary>
    public static (string Scheme, string Name, string Port)? SplitSchemeNamePort(string id)
    {
        var parts = id.Split(':');
        var (scheme, name, port) = parts.Length switch
        {
            1 => ("", parts[0], ""),
            2 => ("", parts[0], parts[1]),
            3 => (parts[0], parts[1], parts[2]),
            _ => ("", "", ""),
        };
        return name.Length > 0 && _schemes.Contains(scheme) ? (scheme, name, port) : null;
    }

    /// <summary>
    /// The URL up to <c>/proxy</c> and what follows it (<c>null</c> when nothing, not even a slash, does), taken from
    /// the raw request target so encoding and a trailing slash survive.
    /// </summary>
    private static (string Prefix, string? SubPath) SplitRawPath(HttpContext context, string plural)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        if (Uri.TryCreate(raw, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            raw = absolute.AbsolutePath;
        }

        var parts = raw.Split('/');
        for (var i = 0; i + 2 < parts.Length; i++)
        {
            if (parts[i] == plural && parts[i + 2] == "proxy")
            {
                var prefix = string.Join('/', parts[..(i + 3)]);
                return i + 3 < parts.Length ? (prefix, "/" + string.Join('/', parts[(i + 3)..])) : (prefix, null);
            }
        }

        throw StatusErrors.PathNotFound();
    }

    private async Task<ProxyTarget> PodTargetAsync(RequestInfo request, string scheme, string name, string port, CancellationToken ct)
    {
        var pod = await GetPodAsync(request with { Name = name }, ct).ConfigureAwait(false);
        var ip = pod.Status?.PodIP;
        if (string.IsNullOrEmpty(ip) || !IPAddress.TryParse(ip, out _))
        {
            throw StatusErrors.ServiceUnavailable($"pod \"{name}\" has no IP address");
        }

        var containerPorts = (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).ToList();
        int number;
        if (port.Length == 0)
        {
            number = containerPorts.FirstOrDefault()?.ContainerPort ?? 80;
        }
        else if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            number = containerPorts.FirstOrDefault(p => p.Name == port)?.ContainerPort
                ?? throw StatusErrors.ServiceUnavailable($"no port named \"{port}\" in pod \"{name}\"");
        }

        return new ProxyTarget(scheme.Length == 0 ? "http" : scheme, ip, number, Kubelet: false);
    }

    /// <summary>A random ready endpoint of the service port (kube-apiserver pkg/registry/core/service/storage ResourceLocation), from EndpointSlices.</summary>
    private async Task<ProxyTarget> ServiceTargetAsync(RequestInfo request, string scheme, string name, string port, CancellationToken ct)
    {
        var services = _registry.Find("", "services")!;
        var stored = await _objects.GetAsync(services, request.Namespace, name, ct).ConfigureAwait(false)
            ?? throw StatusErrors.NotFound("", "services", name);
        var service = (V1Service)stored.Object;
        var portName = port;
        if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber))
        {
            portName = (service.Spec?.Ports ?? []).FirstOrDefault(p => p.Port == portNumber)?.Name
                ?? ((service.Spec?.Ports ?? []).Any(p => p.Port == portNumber) ? "" : throw StatusErrors.ServiceUnavailable($"no service port {portNumber} found for service \"{name}\""));
        }

        var slices = _registry.Find("discovery.k8s.io", "endpointslices")!;
        var list = await _objects.Store.ListAsync(Rest.ObjectStore.Prefix(slices, request.Namespace), null, 0, ct).ConfigureAwait(false);
        var candidates = new List<(string Address, int Port)>();
        foreach (var kv in list.Items)
        {
            var slice = (V1EndpointSlice)_objects.Decode(slices, kv).Object;
            if (slice.Metadata.Labels is not { } labels || !labels.TryGetValue("kubernetes.io/service-name", out var owner) || owner != name)
            {
                continue;
            }

            var slicePort = (slice.Ports ?? []).FirstOrDefault(p => (p.Name ?? "") == portName);
            if (slicePort?.Port is not { } targetPort)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready is false || endpoint.Addresses is not { Count: > 0 })
                {
                    continue;
                }

                candidates.Add((endpoint.Addresses[0], targetPort));
            }
        }

        if (candidates.Count == 0)
        {
            throw StatusErrors.ServiceUnavailable($"no endpoints available for service \"{name}\"");
        }

        var (address, chosenPort) = candidates[_random.Next(candidates.Count)];
        return new ProxyTarget(scheme.Length == 0 ? "http" : scheme, address, chosenPort, Kubelet: false);
    }

    private async Task<ProxyTarget> NodeTargetAsync(string scheme, string name, string port, CancellationToken ct)
    {
        var kubelet = await _kubelets.FindAsync(name, ct).ConfigureAwait(false);
        if (port.Length == 0)
        {
            return kubelet;
        }

        return int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
            ? new ProxyTarget(scheme.Length == 0 ? "http" : scheme, kubelet.Host, number, Kubelet: number == kubelet.Port)
            : throw StatusErrors.BadRequest($"invalid port {port}");
    }
}
