using Berth.ApiServer.Http;
using Berth.Core.Errors;
using Berth.Core.Validation;
using Berth.Storage;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

internal sealed partial class RestHandler
{
    /// <summary>The answer of a refused eviction (pkg/registry/core/pod/storage/eviction.go).</summary>
    public const string EvictionRefused = "Cannot evict pod as it would violate the pod's disruption budget.";

    /// <summary>
    /// <c>POST pods/{name}/eviction</c> with a policy/v1 Eviction (pkg/registry/core/pod/storage/eviction.go): a pod that
    /// is terminal, pending or being deleted is deleted at once; otherwise its one PodDisruptionBudget (more is a 500)
    /// must allow a disruption — its <c>disruptionsAllowed</c> is decremented and the pod recorded in
    /// <c>disruptedPods</c> in the same compare-and-swap — or the answer is 429 TooManyRequests. Then the pod is deleted
    /// with the Eviction's deleteOptions (graceful, as a DELETE), and the answer is 201 with a Success Status.
    /// </summary>
    private async Task HandleEvictionAsync(HttpContext context, RequestInfo request, string method, CancellationToken ct)
    {
        if (method != "POST")
        {
            throw MethodNotAllowed(method, request);
        }

        var body = await ReadBodyAsync(context, request, ct).ConfigureAwait(false);
        V1Eviction eviction;
        try
        {
            eviction = KubernetesJson.Deserialize<V1Eviction>(body.ToJsonString()) ?? new V1Eviction();
        }
        catch (System.Text.Json.JsonException e)
        {
            throw StatusErrors.BadRequest("Eviction in version \"v1\" cannot be handled as a Eviction: " + e.Message);
        }

        if (eviction.Metadata?.Name is { Length: > 0 } evicted && evicted != request.Name)
        {
            throw StatusErrors.BadRequest("name in URL does not match name in Eviction object");
        }

        var pod = (V1Pod)(await GetExistingAsync(request, ct).ConfigureAwait(false)).Object;
        if (!CanIgnoreBudget(pod))
        {
            await TakeDisruptionAsync(pod, ct).ConfigureAwait(false);
        }

        await DeleteObjectAsync(request with { Subresource = null }, request.Name!, eviction.DeleteOptions ?? new V1DeleteOptions(), ct).ConfigureAwait(false);
        await Responses.WriteObjectAsync(context, 201, new V1Status { Kind = "Status", ApiVersion = "v1", Metadata = new V1ListMeta(), Status = "Success", Code = 201 }, ct).ConfigureAwait(false);
    }

    /// <summary><c>canIgnorePDB</c>: terminal, pending and terminating pods are not protected.</summary>
    private static bool CanIgnoreBudget(V1Pod pod) =>
        pod.Status?.Phase is "Succeeded" or "Failed" or "Pending" || pod.Metadata.DeletionTimestamp is not null;

    private async Task TakeDisruptionAsync(V1Pod pod, CancellationToken ct)
    {
        var budgets = _registry.Find("policy", "v1", "poddisruptionbudgets")!;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var list = await _objects.Store.ListAsync(ObjectStore.Prefix(budgets, pod.Metadata.NamespaceProperty), null, 0, ct).ConfigureAwait(false);
            var matching = list.Items
                .Select(kv => _objects.Decode(budgets, kv))
                .Where(s => s.Object is V1PodDisruptionBudget { Spec.Selector: { } selector } && !LabelSelectors.IsEmpty(selector) && LabelSelectors.Matches(selector, pod.Metadata.Labels))
                .ToList();
            if (matching.Count == 0)
            {
                return;
            }

            if (matching.Count > 1)
            {
                throw StatusErrors.Internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            var stored = matching[0];
            var pdb = (V1PodDisruptionBudget)stored.Clone();
            var status = pdb.Status ??= new V1PodDisruptionBudgetStatus();
            var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
            // An unhealthy pod may go when the budget is met anyway (IfHealthyBudget) or always (AlwaysAllow).
            if (!ready && (pdb.Spec?.UnhealthyPodEvictionPolicy == "AlwaysAllow" || (status.CurrentHealthy >= status.DesiredHealthy && status.DesiredHealthy > 0)))
            {
                return;
            }

            if ((status.ObservedGeneration ?? 0) < (pdb.Metadata.Generation ?? 0))
            {
                throw StatusErrors.TooManyRequests(EvictionRefused, [new V1StatusCause { Reason = "DisruptionBudget", Message = $"The disruption budget {pdb.Metadata.Name} is still being processed by the server." }]);
            }

            if (status.DisruptionsAllowed < 0)
            {
                throw StatusErrors.Forbidden("pdb disruptions allowed is negative");
            }

            if (status.DisruptionsAllowed == 0)
            {
                throw StatusErrors.TooManyRequests(EvictionRefused, [new V1StatusCause
                {
                    Reason = "DisruptionBudget",
                    Message = $"The disruption budget {pdb.Metadata.Name} needs {status.DesiredHealthy} healthy pods and has {status.CurrentHealthy} currently",
                }]);
            }

            status.DisruptionsAllowed--;
            status.DisruptedPods ??= new Dictionary<string, DateTime?>();
            status.DisruptedPods[pod.Metadata.Name] = _time.GetUtcNow().UtcDateTime;
            if (status.DisruptionsAllowed == 0)
            {
                var condition = status.Conditions?.FirstOrDefault(c => c.Type == "DisruptionAllowed");
                if (condition is not null && condition.Status != "False")
                {
                    condition.Status = "False";
                    condition.Reason = "InsufficientPods";
                    condition.LastTransitionTime = _time.GetUtcNow().UtcDateTime;
                }
            }

            var result = await _objects.Store.UpdateAsync(stored.Kv.Key, ObjectStore.Encode(budgets, pdb), stored.Revision, ct).ConfigureAwait(false);
            if (result.Outcome == StoreOutcome.Ok)
            {
                return;
            }
        }

        throw StatusErrors.Conflict("policy", "poddisruptionbudgets", pod.Metadata.Name, "the disruption budget changed too often; try again");
    }
}
