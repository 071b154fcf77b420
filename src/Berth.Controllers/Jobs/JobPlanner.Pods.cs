using System.Globalization;
using Berth.Controllers.Common;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Controllers.Jobs;

internal static partial class JobPlanner
{
    /// <summary>
    /// A new pod of <paramref name="job"/> (upstream <c>GetPodFromTemplate</c> + the Job controller's additions): the
    /// template, a controller reference, the tracking finalizer and, for completion index <paramref name="index"/>,
    /// the index annotation and label, the host name <c>&lt;job&gt;-&lt;index&gt;</c> and <c>JOB_COMPLETION_INDEX</c>
    /// from the annotation through the downward API (<c>addCompletionIndexEnvVariables</c>).
    /// </summary>
    public static V1Pod PodFromTemplate(V1Job job, int? index)
    {
        ArgumentNullException.ThrowIfNull(job?.Metadata);
        var template = job.Spec?.Template ?? throw new ArgumentException("Job has no pod template.", nameof(job));
        var labels = ObjectCopy.CloneMap(template.Metadata?.Labels);
        var annotations = ObjectCopy.CloneMap(template.Metadata?.Annotations);
        var spec = template.Spec is null ? new V1PodSpec() : ObjectCopy.Clone(template.Spec);
        var prefix = job.Metadata.Name;
        if (index is { } i)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            annotations[BatchLabels.CompletionIndex] = text;
            labels[BatchLabels.CompletionIndex] = text;
            prefix += "-" + text;
            if (string.IsNullOrEmpty(spec.Hostname))
            {
                spec.Hostname = prefix;
            }

            foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
            {
                container.Env ??= [];
                if (container.Env.All(e => e.Name != "JOB_COMPLETION_INDEX"))
                {
                    container.Env.Add(new V1EnvVar
                    {
                        Name = "JOB_COMPLETION_INDEX",
                        ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.annotations['" + BatchLabels.CompletionIndex + "']" } },
                    });
                }
            }
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = ServiceUtil.GenerateNamePrefix(prefix),
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = annotations.Count == 0 ? null : annotations,
                Finalizers = [.. template.Metadata?.Finalizers ?? [], BatchLabels.TrackingFinalizer],
                OwnerReferences = [ServiceUtil.ControllerRef(job.Metadata, "batch/v1", "Job")],
            },
            Spec = spec,
        };
    }

    /// <summary>Whether <paramref name="pod"/> carries the tracking finalizer.</summary>
    public static bool HasTrackingFinalizer(V1Pod pod) =>
        pod.Metadata?.Finalizers?.Contains(BatchLabels.TrackingFinalizer) == true;
}
