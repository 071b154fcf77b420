using Berth.Controllers.ReplicaSets;
using k8s.Models;

namespace Berth.Controllers.Jobs;

internal static partial class JobPlanner
{
    /// <summary>
    /// Upstream <c>manageJob</c> for a running Job: as many active pods as parallelism allows and completions still
    /// need; excess pods (and, for an Indexed Job, pods of a bad, duplicate or already succeeded index) are deleted;
    /// new pods wait out the failure back-off. Returns the back-off left when it held creates back.
    /// </summary>
    private static TimeSpan? Manage(V1Job job, List<V1Pod> active, IReadOnlyList<V1Pod> pods, int succeeded, SortedSet<int> succeededIndexes, int terminating, DateTimeOffset now, List<int?> create, List<V1Pod> delete)
    {
        var spec = job.Spec;
        var parallelism = spec.Parallelism ?? 1;
        var completions = spec.Completions;
        var indexed = spec.CompletionMode == "Indexed" && completions is not null;
        var wantActive = completions is null
            ? (succeeded > 0 ? active.Count : parallelism)
            : Math.Clamp(completions.Value - succeeded, 0, parallelism);

        var keep = active;
        if (indexed)
        {
            var seen = new HashSet<int>();
            keep = [];
            foreach (var pod in active.OrderBy(p => p.Metadata?.CreationTimestamp ?? DateTime.MinValue).ThenBy(p => p.Metadata?.Name, StringComparer.Ordinal))
            {
                if (IndexOf(pod) is { } index && index < completions!.Value && !succeededIndexes.Contains(index) && seen.Add(index))
                {
                    keep.Add(pod);
                }
                else
                {
                    delete.Add(pod);
                }
            }
        }

        if (keep.Count > wantActive)
        {
            delete.AddRange(ReplicaSetPlanner.PodsToDelete(keep, keep, Math.Min(keep.Count - wantActive, MaxPodCreateDeletePerSync)));
            return null;
        }

        var diff = wantActive - keep.Count;
        var onlyFailed = spec.PodReplacementPolicy == "Failed";
        if (onlyFailed)
        {
            diff -= terminating;
        }

        if (diff <= 0)
        {
            return null;
        }

        if (BackoffLeft(job, pods, now) is { } wait)
        {
            return wait;
        }

        diff = Math.Min(diff, MaxPodCreateDeletePerSync);
        if (!indexed)
        {
            create.AddRange(Enumerable.Repeat<int?>(null, diff));
            return null;
        }

        var held = new HashSet<int>(keep.Select(IndexOf).OfType<int>());
        if (onlyFailed)
        {
            held.UnionWith(pods.Where(p => p.Metadata?.DeletionTimestamp is not null).Select(IndexOf).OfType<int>());
        }

        for (var i = 0; i < completions!.Value && create.Count < diff; i++)
        {
            if (!succeededIndexes.Contains(i) && !held.Contains(i))
            {
                create.Add(i);
            }
        }

        return null;
    }
}
