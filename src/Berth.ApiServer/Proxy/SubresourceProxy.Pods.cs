using Berth.ApiServer.Http;
using Berth.Core.Errors;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Proxy;

internal sealed partial class SubresourceProxy
{
    /// <summary><c>GET pods/{name}/log</c>: checks the container as kube-apiserver and the kubelet do, then streams the agent's answer.</summary>
    private async Task LogAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var pod = await GetPodAsync(request, ct).ConfigureAwait(false);
        var container = ChooseContainer(pod, context.Request.Query.Get("container"));
        CheckLogsAvailable(pod, container, context.Request.Query.GetBool("previous"));
        var target = await _kubelets.FindAsync(pod.Spec.NodeName, ct).ConfigureAwait(false);
        var path = $"/containerLogs/{Escape(pod.Metadata.NamespaceProperty)}/{Escape(pod.Metadata.Name)}/{Escape(container)}{RawQuery(context)}";
        Log.Proxying(_logger, "log", "pods", request.Namespace ?? "", request.Name!, target.Authority);
        await HttpForwarder.ForwardAsync(context, _kubelets.Http, target.Uri(path), ct).ConfigureAwait(false);
    }

    /// <summary>The kubelet's validateContainerLogStatus (pkg/kubelet/kubelet_pods.go) on the pod's reported status.</summary>
    private static void CheckLogsAvailable(V1Pod pod, string container, bool previous)
    {
        var name = pod.Metadata.Name;
        var status = (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []).FirstOrDefault(s => s.Name == container);
        if (string.IsNullOrEmpty(pod.Spec?.NodeName) || (status is null && pod.Status?.Phase is null or "Pending"))
        {
            throw StatusErrors.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating");
        }

        if (status is null)
        {
            return;
        }

        if (previous)
        {
            if (status.LastState?.Terminated is null)
            {
                throw StatusErrors.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found");
            }

            return;
        }

        if (status.State?.Waiting is { } waiting && status.LastState?.Terminated is null)
        {
            var why = waiting.Reason switch
            {
                "ErrImagePull" => "image can't be pulled",
                "ImagePullBackOff" => "trying and failing to pull image",
                _ => waiting.Reason,
            };
            throw StatusErrors.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {why}");
        }
    }

    /// <summary><c>pods/{name}/exec</c>: a WebSocket (or SPDY) upgrade relayed to the agent's <c>/exec</c>.</summary>
    private async Task ExecAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var pod = await GetPodAsync(request, ct).ConfigureAwait(false);
        var container = ChooseContainer(pod, context.Request.Query.Get("container"));
        var target = await NodeOfAsync(pod, ct).ConfigureAwait(false);
        RequireUpgrade(context);
        var path = $"/exec/{Escape(pod.Metadata.NamespaceProperty)}/{Escape(pod.Metadata.Name)}/{Escape(container)}{RawQuery(context)}";
        Log.Proxying(_logger, "exec", "pods", request.Namespace ?? "", request.Name!, target.Authority);
        await UpgradeProxy.ProxyAsync(context, _kubelets, target, path, ct).ConfigureAwait(false);
    }

    /// <summary><c>pods/{name}/portforward</c>: WebSocket (SPDY tunnelled, or channels) or direct SPDY, relayed to the agent's <c>/portForward</c>.</summary>
    private async Task PortForwardAsync(HttpContext context, RequestInfo request, CancellationToken ct)
    {
        var pod = await GetPodAsync(request, ct).ConfigureAwait(false);
        var target = await NodeOfAsync(pod, ct).ConfigureAwait(false);
        RequireUpgrade(context);
        var path = $"/portForward/{Escape(pod.Metadata.NamespaceProperty)}/{Escape(pod.Metadata.Name)}{RawQuery(context)}";
        Log.Proxying(_logger, "portforward", "pods", request.Namespace ?? "", request.Name!, target.Authority);
        await UpgradeProxy.ProxyAsync(context, _kubelets, target, path, ct).ConfigureAwait(false);
    }

    private Task<ProxyTarget> NodeOfAsync(V1Pod pod, CancellationToken ct) =>
        string.IsNullOrEmpty(pod.Spec?.NodeName)
            ? throw StatusErrors.BadRequest($"pod {pod.Metadata.Name} does not have a host assigned")
            : _kubelets.FindAsync(pod.Spec.NodeName, ct);

    private static void RequireUpgrade(HttpContext context)
    {
        if (!UpgradeProxy.IsUpgradeRequest(context))
        {
            throw StatusErrors.BadRequest("Upgrade request required");
        }
    }
}
