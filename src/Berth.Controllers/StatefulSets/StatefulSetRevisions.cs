using System.Text.Json.Nodes;
using Berth.Controllers.Common;
using Berth.Controllers.Deployments;
using k8s;
using k8s.Models;

namespace Berth.Controllers.StatefulSets;

/// <summary>
/// The ControllerRevisions of a StatefulSet (upstream <c>history</c> and <c>stateful_set_utils.go</c>), pure: a
/// revision's data is the strategic merge patch <c>{"spec":{"template":{…,"$patch":"replace"}}}</c> that
/// <c>kubectl rollout undo</c> applies to the set; its name is <c>&lt;set&gt;-&lt;hash&gt;</c> of the template and the
/// collision count (<see cref="PodTemplateHash"/>: FNV-1a of the canonical JSON, not bit-for-bit Kubernetes' hash).
/// </summary>
internal static class StatefulSetRevisions
{
    /// <summary>Upstream <c>newRevision</c>: labels from the template, a controller reference, the patch as data.</summary>
    public static V1ControllerRevision New(V1StatefulSet set, long revision, int? collisionCount)
    {
        ArgumentNullException.ThrowIfNull(set?.Metadata);
        var template = set.Spec?.Template ?? new V1PodTemplateSpec();
        var data = new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = PatchOf(template) },
        };
        return new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = Name(set, collisionCount),
                NamespaceProperty = set.Metadata.NamespaceProperty,
                Labels = ObjectCopy.CloneMap(template.Metadata?.Labels),
                OwnerReferences = [ServiceUtil.ControllerRef(set.Metadata, "apps/v1", "StatefulSet")],
            },
            Data = data,
            Revision = revision,
        };
    }

    /// <summary>Upstream <c>ControllerRevisionName</c>: the set's name (cut to 223 characters), a dash and the hash.</summary>
    public static string Name(V1StatefulSet set, int? collisionCount)
    {
        ArgumentNullException.ThrowIfNull(set?.Metadata);
        var prefix = set.Metadata.Name.Length > 223 ? set.Metadata.Name[..223] : set.Metadata.Name;
        return prefix + "-" + PodTemplateHash.Compute(set.Spec?.Template ?? new V1PodTemplateSpec(), collisionCount);
    }

    /// <summary>The pod template a revision records (its data's <c>spec.template</c> without the patch directive).</summary>
    public static V1PodTemplateSpec? TemplateOf(V1ControllerRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        if (revision.Data is null || JsonNode.Parse(KubernetesJson.Serialize(revision.Data))?["spec"]?["template"] is not JsonObject template)
        {
            return null;
        }

        template.Remove("$patch");
        return KubernetesJson.Deserialize<V1PodTemplateSpec>(template.ToJsonString());
    }

    /// <summary>Whether <paramref name="revision"/> records <paramref name="template"/> (upstream <c>history.EqualRevision</c>).</summary>
    public static bool Records(V1ControllerRevision revision, V1PodTemplateSpec? template) =>
        TemplateOf(revision) is { } recorded && template is not null && CanonicalJson.Render(recorded) == CanonicalJson.Render(template);

    /// <summary>
    /// Upstream <c>truncateHistory</c>: the revisions to delete — the oldest of those neither current, nor the update
    /// revision, nor named by a pod's controller-revision-hash, beyond <c>revisionHistoryLimit</c>.
    /// </summary>
    public static IReadOnlyList<V1ControllerRevision> ToTruncate(V1StatefulSet set, IReadOnlyList<V1ControllerRevision> revisions, IReadOnlyList<V1Pod> pods, string currentRevision, string updateRevision)
    {
        ArgumentNullException.ThrowIfNull(set?.Spec);
        ArgumentNullException.ThrowIfNull(revisions);
        ArgumentNullException.ThrowIfNull(pods);

        var live = new HashSet<string>(StringComparer.Ordinal) { currentRevision, updateRevision };
        foreach (var pod in pods)
        {
            if (StatefulSetPlanner.RevisionOf(pod) is { } name)
            {
                live.Add(name);
            }
        }

        var history = revisions.Where(r => !live.Contains(r.Metadata.Name)).OrderBy(r => r.Revision ?? 0).ToList();
        var limit = Math.Max(set.Spec.RevisionHistoryLimit ?? 10, 0);
        return history.Count <= limit ? [] : history[..^limit];
    }

    private static JsonNode PatchOf(V1PodTemplateSpec template)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(template))!.AsObject();
        node["$patch"] = "replace";
        return node;
    }
}
