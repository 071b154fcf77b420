using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The Namespace strategy (pkg/registry/core/namespace/strategy.go); cluster-scoped, name is a DNS-1123 label.</summary>
public sealed class NamespaceStrategy : ResourceStrategy<V1Namespace>
{
    public const string MetadataNameLabel = "kubernetes.io/metadata.name";
    public const string KubernetesFinalizer = "kubernetes";

    protected override bool Namespaced => false;

    protected override NameValidator NameValidator => NameValidators.DNS1123Label;

    /// <summary>Status is Active; the <c>kubernetes</c> finalizer is always added on create.</summary>
    protected override void PrepareForCreate(V1Namespace obj)
    {
        obj.Status = new V1NamespaceStatus { Phase = "Active" };
        var spec = obj.Spec ??= new V1NamespaceSpec();
        spec.Finalizers ??= [];
        if (!spec.Finalizers.Contains(KubernetesFinalizer))
        {
            spec.Finalizers.Add(KubernetesFinalizer);
        }
    }

    /// <summary>Spec finalizers change only through <c>/finalize</c>; status only through <c>/status</c>.</summary>
    protected override void PrepareForUpdate(V1Namespace obj, V1Namespace old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Spec ??= new V1NamespaceSpec();
        obj.Spec.Finalizers = ModelCopy.Clone(old.Spec)?.Finalizers;
        obj.Status = ModelCopy.Clone(old.Status);
    }

    /// <summary><c>SetDefaults_Namespace</c>: the name label is always (re)set.</summary>
    protected override void Default(V1Namespace obj)
    {
        obj.Metadata ??= new V1ObjectMeta();
        if (!string.IsNullOrEmpty(obj.Metadata.Name))
        {
            obj.Metadata.Labels ??= new Dictionary<string, string>();
            obj.Metadata.Labels[MetadataNameLabel] = obj.Metadata.Name;
        }

        obj.Status ??= new V1NamespaceStatus();
        if (string.IsNullOrEmpty(obj.Status.Phase))
        {
            obj.Status.Phase = "Active";
        }
    }

    protected override void Validate(V1Namespace obj, List<FieldError> errors)
    {
        var finalizers = obj.Spec?.Finalizers ?? [];
        for (var i = 0; i < finalizers.Count; i++)
        {
            var path = FieldPath.Root("spec").Child("finalizers").Index(i);
            var qualified = FieldValidators.QualifiedName(finalizers[i] ?? "", path).ToList();
            errors.AddRange(qualified);
            if (qualified.Count == 0 && !(finalizers[i] ?? "").Contains('/', StringComparison.Ordinal) && finalizers[i] != KubernetesFinalizer)
            {
                errors.Add(FieldError.Invalid(path, finalizers[i], "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
    }

    protected override string? GetSelectableField(V1Namespace obj, string field) => field switch
    {
        "status.phase" => obj.Status?.Phase ?? "",
        _ => null,
    };
}
