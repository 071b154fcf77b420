using static Berth.Core.Serialization.Protobuf.ProtoField;

namespace Berth.Core.Serialization.Protobuf;

internal static partial class KubernetesSchema
{
    /// <summary>
    /// Job and CronJob (kubectl's <c>create job</c> and <c>create cronjob</c> send them as protobuf). Field numbers and
    /// names from kubernetes/kubernetes staging/src/k8s.io/api/batch/v1/generated.proto; podFailurePolicy and
    /// successPolicy are not listed (kubectl's generators never set them).
    /// </summary>
    private static void AddBatch(Dictionary<string, ProtoField[]> m)
    {
        m["Job"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "JobSpec"), Msg(3, "status", "JobStatus"),
        ];
        m["JobSpec"] =
        [
            I32(1, "parallelism", keep: true), I32(2, "completions", keep: true), I64(3, "activeDeadlineSeconds", keep: true),
            Msg(4, "selector", "LabelSelector"), Bool(5, "manualSelector", keep: true), Msg(6, "template", "PodTemplateSpec"),
            I32(7, "backoffLimit", keep: true), I32(8, "ttlSecondsAfterFinished", keep: true), Str(9, "completionMode", keep: true),
            Bool(10, "suspend", keep: true), I32(12, "backoffLimitPerIndex", keep: true), I32(13, "maxFailedIndexes", keep: true),
            Str(14, "podReplacementPolicy", keep: true), Str(15, "managedBy", keep: true),
        ];
        m["JobStatus"] =
        [
            Msgs(1, "conditions", "JobCondition"), Time(2, "startTime"), Time(3, "completionTime"), I32(4, "active"),
            I32(5, "succeeded"), I32(6, "failed"), Str(7, "completedIndexes"), Msg(8, "uncountedTerminatedPods", "UncountedTerminatedPods"),
            I32(9, "ready", keep: true), Str(10, "failedIndexes", keep: true), I32(11, "terminating", keep: true),
        ];
        m["JobCondition"] =
        [
            Str(1, "type", keep: true), Str(2, "status", keep: true), Time(3, "lastProbeTime"), Time(4, "lastTransitionTime"),
            Str(5, "reason"), Str(6, "message"),
        ];
        m["UncountedTerminatedPods"] =
        [
            Strs(1, "succeeded"), Strs(2, "failed"),
        ];
        m["CronJob"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "CronJobSpec"), Msg(3, "status", "CronJobStatus"),
        ];
        m["CronJobSpec"] =
        [
            Str(1, "schedule", keep: true), Str(8, "timeZone", keep: true), I64(2, "startingDeadlineSeconds", keep: true),
            Str(3, "concurrencyPolicy"), Bool(4, "suspend", keep: true), Msg(5, "jobTemplate", "JobTemplateSpec"),
            I32(6, "successfulJobsHistoryLimit", keep: true), I32(7, "failedJobsHistoryLimit", keep: true),
        ];
        m["JobTemplateSpec"] =
        [
            Msg(1, "metadata", "ObjectMeta"), Msg(2, "spec", "JobSpec"),
        ];
        m["CronJobStatus"] =
        [
            Msgs(1, "active", "ObjectReference"), Time(4, "lastScheduleTime"), Time(5, "lastSuccessfulTime"),
        ];

        // core/v1 ObjectReference (staging/src/k8s.io/api/core/v1/generated.proto), for CronJobStatus.active.
        m["ObjectReference"] =
        [
            Str(1, "kind"), Str(2, "namespace"), Str(3, "name"), Str(4, "uid"), Str(5, "apiVersion"), Str(6, "resourceVersion"),
            Str(7, "fieldPath"),
        ];
    }
}
