using Berth.ApiServer.Http;
using Berth.ApiServer.Rest;
using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Proxy;

/// <summary>
/// The subresources the API server carries out elsewhere: <c>pods/log</c>, <c>pods/exec</c>, <c>pods/attach</c> and
/// <c>pods/portforward</c> go to the agent of the pod's node (kubelet paths <c>/containerLogs</c>, <c>/exec</c>,
/// <c>/portForward</c>); <c>pods/proxy</c>, <c>services/proxy</c> and <c>nodes/proxy</c> forward any request to a pod,
/// a ready endpoint of a service, or a node's agent (kubernetes-services.md §5.12).
/// </summary>
internal sealed partial class SubresourceProxy
{
    private readonly ObjectStore _objects;
    private readonly ResourceRegistry _registry;
    private readonly KubeletConnector _kubelets;
    private readonly Random _random;
    private readonly ILogger _logger;

    public SubresourceProxy(ObjectStore objects, ResourceRegistry registry, KubeletConnector kubelets, Random random, ILogger logger)
    {
        _objects = objects;
        _registry = registry;
        _kubelets = kubelets;
        _random = random;
        _logger = logger;
    }

    public static bool Handles(RequestInfo request) =>
        request.Subresource is "log" or "exec" or "attach" or "portforward" or "proxy" && request.Name is not null;

    public Task HandleAsync(HttpContext context, RequestInfo request)
    {
        var method = context.Request.Method;
        return (request.Resource.Plural, request.Subresource) switch
        {
            ("pods", "log") when method is "GET" => LogAsync(context, request, context.RequestAborted),
            ("pods", "exec") when method is "GET" or "POST" => ExecAsync(context, request, context.RequestAborted),
            ("pods", "attach") when method is "GET" or "POST" => throw StatusErrors.BadRequest(
                "attach is not supported by Berth: containers are host processes whose stdio is not attachable; use kubectl logs -f to watch output or kubectl exec to run a command"),
            ("pods", "portforward") when method is "GET" or "POST" => PortForwardAsync(context, request, context.RequestAborted),
            (_, "proxy") => ProxyAsync(context, request, context.RequestAborted),
            _ => throw StatusErrors.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {request.Resource.Plural}/{request.Subresource})"),
        };
    }

    private async Task<V1Pod> GetPodAsync(RequestInfo request, CancellationToken ct)
    {
        var pods = _registry.Find("", "pods")!;
        var stored = await _objects.GetAsync(pods, request.Namespace, request.Name!, ct).ConfigureAwait(false)
            ?? throw StatusErrors.NotFound("", "pods", request.Name!);
        return (V1Pod)stored.Object;
    }

    /// <summary>The container a stream names, or the only one (kube-apiserver pkg/registry/core/pod/strategy.go).</summary>
    private static string ChooseContainer(V1Pod pod, string? container)
    {
        var name = pod.Metadata.Name;
        if (string.IsNullOrEmpty(container))
        {
            var containers = pod.Spec?.Containers ?? [];
            switch (containers.Count)
            {
                case 1:
                    return containers[0].Name;
                case 0:
                    throw StatusErrors.BadRequest($"a container name must be specified for pod {name}");
                default:
                    var message = $"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers.Select(c => c.Name))}]";
                    var init = pod.Spec?.InitContainers ?? [];
                    if (init.Count > 0)
                    {
                        message += $" or one of the init containers: [{string.Join(' ', init.Select(c => c.Name))}]";
                    }

                    throw StatusErrors.BadRequest(message);
            }
        }

        var known = (pod.Spec?.Containers ?? []).Select(c => c.Name)
            .Concat((pod.Spec?.InitContainers ?? []).Select(c => c.Name))
            .Concat((pod.Spec?.EphemeralContainers ?? []).Select(c => c.Name));
        return known.Contains(container)
            ? container
            : throw StatusErrors.BadRequest($"container {container} is not valid for pod {name}");
    }

    private static string RawQuery(HttpContext context) => context.Request.QueryString.Value ?? "";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "{Subresource} of {Resource} {Namespace}/{Name} → {Target}")]
        public static partial void Proxying(ILogger logger, string subresource, string resource, string @namespace, string name, string target);
    }
}
