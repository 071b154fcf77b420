using Berth.Client;
using Berth.Client.Events;
using Berth.Controllers.Common;
using k8s.Models;

namespace Berth.Controllers.Nodes;

public sealed partial class NodeLifecycleController
{
    /// <summary>
    /// The taint eviction controller's work, checked on each monitor pass: pods whose tolerations of the Node's NoExecute
    /// taints have run out (<see cref="TaintEvictionPlanner"/>) are deleted, with a <c>TaintManagerEviction</c> event.
    /// </summary>
    private async Task EvictPodsAsync(string nodeName, CancellationToken cancellationToken)
    {
        var node = _nodes.Get(null, nodeName);
        var taints = node?.Spec?.Taints?.Where(t => t.Effect == TaintUtil.NoExecute).ToList() ?? [];
        if (taints.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var since = taints.Select(t => t.TimeAdded is { } added ? new DateTimeOffset(DateTime.SpecifyKind(added, DateTimeKind.Utc)) : now).Min();
        foreach (var pod in _pods.ByIndex(PodNodeIndex.Name, nodeName))
        {
            if (!PodUtil.IsActive(pod) || TaintEvictionPlanner.EvictionTime(pod, taints, since) is not { } due || due > now)
            {
                continue;
            }

            var key = ObjectKeys.Of(pod);
            await _events.RecordAsync(pod, EventRecorder.Normal, "TaintManagerEviction", "Marking for deletion Pod " + key, TaintEvictionComponent, cancellationToken).ConfigureAwait(false);
            try
            {
                await _client.DeleteAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, null, cancellationToken).ConfigureAwait(false);
                Log.Evicted(_logger, key, nodeName);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
            }
        }
    }
}
