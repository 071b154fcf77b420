using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The Pod REST strategy (pkg/registry/core/pod/strategy.go), basics only.</summary>
public sealed class PodStrategy : ResourceStrategy<V1Pod>
{
    protected override void PrepareForCreate(V1Pod obj)
    {
        obj.Spec ??= new V1PodSpec();
        obj.Status = new V1PodStatus { Phase = "Pending", QosClass = PodValidation.ComputeQosClass(obj.Spec) };
    }

    protected override void PrepareForUpdate(V1Pod obj, V1Pod old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);

            // Old kubelets corrupt owner references through pods/status.
            obj.Metadata.OwnerReferences = old.Metadata?.OwnerReferences;
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
    }

    protected override void Default(V1Pod obj) => PodDefaults.ApplyPod(obj);

    protected override void Validate(V1Pod obj, List<FieldError> errors) =>
        PodValidation.ValidateSpec(obj.Spec ?? new V1PodSpec(), FieldPath.Root("spec"), errors);

    protected override void ValidateUpdate(V1Pod obj, V1Pod old, List<FieldError> errors)
    {
        Validate(obj, errors);
        PodValidation.ValidateUpdate(obj, old, errors);
    }

    protected override string? GetSelectableField(V1Pod obj, string field) => field switch
    {
        "spec.nodeName" => obj.Spec?.NodeName ?? "",
        "spec.restartPolicy" => obj.Spec?.RestartPolicy ?? "",
        "spec.schedulerName" => obj.Spec?.SchedulerName ?? "",
        "spec.serviceAccountName" => obj.Spec?.ServiceAccountName ?? "",
        "spec.hostNetwork" => obj.Spec?.HostNetwork == true ? "true" : "false",
        "status.phase" => obj.Status?.Phase ?? "",
        "status.podIP" => obj.Status?.PodIPs is { Count: > 0 } ips ? ips[0].Ip ?? "" : obj.Status?.PodIP ?? "",
        "status.nominatedNodeName" => obj.Status?.NominatedNodeName ?? "",
        _ => null,
    };
}
