using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Patching;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    private async Task HandleStatusAsync(HttpContext context, RequestInfo request, string method, CancellationToken ct)
    {
        switch (method)
        {
            case "GET":
                await GetAsync(context, request, ct).ConfigureAwait(false);
                return;
            case "PUT":
                await ReplaceAsync(context, request, statusOnly: true, ct).ConfigureAwait(false);
                return;
            case "PATCH":
                await PatchAsync(context, request, statusOnly: true, ct).ConfigureAwait(false);
                return;
            default:
                throw MethodNotAllowed(method, request);
        }
    }

    /// <summary>The <c>scale</c> subresource: an <c>autoscaling/v1</c> Scale view of spec.replicas (Deployments, ReplicaSets, StatefulSets, ReplicationControllers).</summary>
    private async Task HandleScaleAsync(HttpContext context, RequestInfo request, string method, CancellationToken ct)
    {
        var dryRun = IsDryRun(context);
        switch (method)
        {
            case "GET":
                {
                    var stored = await GetExistingAsync(request, ct).ConfigureAwait(false);
                    await Responses.WriteObjectAsync(context, 200, ToScale(stored.Object), ct).ConfigureAwait(false);
                    return;
                }

            case "PUT":
            case "PATCH":
                {
                    var body = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
                    var patchType = MediaTypes.Essence(context.Request.ContentType);
                    var main = request with { Subresource = null };
                    var updated = await GuaranteedUpdateAsync(main, UpdateKind.Main, dryRun, existing =>
                    {
                        var scale = JsonNode.Parse(KubernetesJson.Serialize(ToScale(existing.Object)))!;
                        JsonNode? desired;
                        try
                        {
                            desired = method == "PUT" ? body : patchType switch
                            {
                                MediaTypes.JsonPatch => JsonPatch.Apply(scale, body),
                                MediaTypes.MergePatch => MergePatch.Apply(scale, body),
                                MediaTypes.StrategicMergePatch => StrategicMergePatch.Apply(scale, body, typeof(V1Scale)),
                                _ => throw StatusErrors.UnsupportedMediaType("unsupported patch type " + patchType),
                            };
                        }
                        catch (PatchException e)
                        {
                            throw e.ToStatusException();
                        }

                        var newScale = desired is null ? null : KubernetesJson.Deserialize<V1Scale>(desired);
                        var replicas = newScale?.Spec?.Replicas ?? 0;
                        if (replicas < 0)
                        {
                            throw StatusErrors.Invalid("autoscaling", "Scale", request.Name!, [FieldError.Invalid(FieldPath.Root("spec").Child("replicas"), replicas, "must be greater than or equal to 0")]);
                        }

                        var rv = newScale?.Metadata?.ResourceVersion;
                        var obj = existing.Clone();
                        obj.Metadata.ResourceVersion = method == "PUT" && !string.IsNullOrEmpty(rv) ? rv : null;
                        SetReplicas(obj, replicas);
                        return obj;
                    }, ct).ConfigureAwait(false);
                    await Responses.WriteObjectAsync(context, 200, ToScale(updated.Object), ct).ConfigureAwait(false);
                    return;
                }

            default:
                throw MethodNotAllowed(method, request);
        }
    }

    private static V1Scale ToScale(IKubernetesObject<V1ObjectMeta> obj)
    {
        var (replicas, statusReplicas, selector) = obj switch
        {
            V1Deployment d => (d.Spec?.Replicas ?? 0, d.Status?.Replicas ?? 0, d.Spec?.Selector),
            V1ReplicaSet r => (r.Spec?.Replicas ?? 0, r.Status?.Replicas ?? 0, r.Spec?.Selector),
            V1StatefulSet s => (s.Spec?.Replicas ?? 0, s.Status?.Replicas ?? 0, s.Spec?.Selector),
            V1ReplicationController c => (c.Spec?.Replicas ?? 0, c.Status?.Replicas ?? 0, new V1LabelSelector { MatchLabels = c.Spec?.Selector }),
            _ => throw StatusErrors.PathNotFound(),
        };
        return new V1Scale
        {
            ApiVersion = "autoscaling/v1",
            Kind = "Scale",
            Metadata = new V1ObjectMeta
            {
                Name = obj.Metadata.Name,
                NamespaceProperty = obj.Metadata.NamespaceProperty,
                Uid = obj.Metadata.Uid,
                ResourceVersion = obj.Metadata.ResourceVersion,
                CreationTimestamp = obj.Metadata.CreationTimestamp,
            },
            Spec = new V1ScaleSpec { Replicas = replicas },
            Status = new V1ScaleStatus { Replicas = statusReplicas, Selector = SelectorString(selector) },
        };
    }

    private static void SetReplicas(IKubernetesObject<V1ObjectMeta> obj, int replicas)
    {
        switch (obj)
        {
            case V1Deployment d:
                d.Spec.Replicas = replicas;
                break;
            case V1ReplicaSet r:
                r.Spec.Replicas = replicas;
                break;
            case V1StatefulSet s:
                s.Spec.Replicas = replicas;
                break;
            case V1ReplicationController c:
                c.Spec.Replicas = replicas;
                break;
            default:
                throw StatusErrors.PathNotFound();
        }
    }

    /// <summary>A label selector in its string form (<c>app=web,tier in (a,b)</c>), as Scale.status.selector carries it.</summary>
    private static string SelectorString(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return "";
        }

        var parts = new List<string>();
        foreach (var (k, v) in (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            parts.Add(k + "=" + v);
        }

        foreach (var e in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", (e.Values ?? []).Order(StringComparer.Ordinal));
            parts.Add(e.OperatorProperty switch
            {
                "In" => $"{e.Key} in ({values})",
                "NotIn" => $"{e.Key} notin ({values})",
                "Exists" => e.Key,
                _ => "!" + e.Key,
            });
        }

        return string.Join(",", parts);
    }

    /// <summary><c>POST pods/{name}/binding</c>: the scheduler assigns a pod to a node, once.</summary>
    private async Task HandleBindingAsync(HttpContext context, RequestInfo request, string method, CancellationToken ct)
    {
        if (method != "POST")
        {
            throw MethodNotAllowed(method, request);
        }

        var dryRun = IsDryRun(context);
        var body = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
        V1Binding? binding;
        try
        {
            binding = KubernetesJson.Deserialize<V1Binding>(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw StatusErrors.BadRequest("Binding cannot be decoded: " + e.Message);
        }

        var node = binding?.Target?.Name;
        if (string.IsNullOrEmpty(node) || (binding!.Target.Kind is { Length: > 0 } kind && kind != "Node"))
        {
            throw StatusErrors.Invalid("", "Binding", request.Name!, [FieldError.Required(FieldPath.Root("target").Child("name"))]);
        }

        var main = request with { Subresource = null };
        await GuaranteedUpdateAsync(main, UpdateKind.System, dryRun, existing =>
        {
            var pod = (V1Pod)existing.Clone();
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                throw StatusErrors.Conflict("", "pods", request.Name!, "pod is being deleted, cannot be assigned to a host");
            }

            if (!string.IsNullOrEmpty(pod.Spec.NodeName))
            {
                throw StatusErrors.Conflict("", "pods", request.Name!, $"pod {request.Name} is already assigned to node \"{pod.Spec.NodeName}\"");
            }

            pod.Spec.NodeName = node;
            pod.Status ??= new V1PodStatus();
            pod.Status.Conditions ??= [];
            var scheduled = pod.Status.Conditions.FirstOrDefault(c => c.Type == "PodScheduled");
            if (scheduled is null)
            {
                scheduled = new V1PodCondition { Type = "PodScheduled" };
                pod.Status.Conditions.Add(scheduled);
            }

            scheduled.Status = "True";
            scheduled.Reason = null;
            scheduled.Message = null;
            scheduled.LastTransitionTime = _time.GetUtcNow().UtcDateTime;
            pod.Metadata.ResourceVersion = null;
            return pod;
        }, ct).ConfigureAwait(false);

        await Responses.WriteObjectAsync(context, 201, new V1Status { Kind = "Status", ApiVersion = "v1", Metadata = new V1ListMeta(), Status = "Success", Code = 201 }, ct).ConfigureAwait(false);
    }
}
