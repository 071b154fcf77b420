using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// Base of the strategies of create-only reviews (SelfSubjectAccessReview, SubjectAccessReview, …): nothing is stored,
/// so there is no name to check and no update; <see cref="IResourceStrategy.Validate"/> checks the spec as the review's
/// REST handler in Kubernetes does before answering.
/// </summary>
public abstract class ReviewStrategy<T> : IResourceStrategy
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public bool AllowCreateOnUpdate => false;

    public bool AllowUnconditionalUpdate => false;

    public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
    }

    public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old, bool statusOnly)
    {
    }

    public void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
    }

    public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj)
    {
        var errors = new List<FieldError>();
        Validate((T)obj, errors);
        return errors;
    }

    public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) => Validate(obj);

    public string? GetSelectableField(IKubernetesObject<V1ObjectMeta> obj, string field) => null;

    protected abstract void Validate(T obj, List<FieldError> errors);

    /// <summary>
    /// <c>ValidateSelfSubjectAccessReviewSpec</c>: exactly one of resourceAttributes and nonResourceAttributes.
    /// </summary>
    protected static void ValidateAttributes(V1ResourceAttributes? resource, V1NonResourceAttributes? nonResource, List<FieldError> errors)
    {
        var spec = FieldPath.Root("spec");
        if (resource is not null && nonResource is not null)
        {
            errors.Add(FieldError.InvalidRendered(spec.Child("nonResourceAttributes"), NonResourceSyntax(nonResource), "cannot be specified in combination with resourceAttributes"));
        }

        if (resource is null && nonResource is null)
        {
            errors.Add(FieldError.InvalidRendered(spec.Child("resourceAttributes"), "null", "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
    }

    /// <summary>Go's <c>%#v</c> of the internal NonResourceAttributes, as field errors print it.</summary>
    protected static string NonResourceSyntax(V1NonResourceAttributes attributes) =>
        $"authorization.NonResourceAttributes{{Path:{FieldError.Quote(attributes.Path ?? "")}, Verb:{FieldError.Quote(attributes.Verb ?? "")}}}";

    /// <summary>Metadata of a review must be empty: it names nothing and is not stored.</summary>
    protected static void ValidateEmptyMetadata(V1ObjectMeta? meta, bool allowNamespace, List<FieldError> errors)
    {
        if (meta is null)
        {
            return;
        }

        var empty = string.IsNullOrEmpty(meta.Name) && string.IsNullOrEmpty(meta.GenerateName) && string.IsNullOrEmpty(meta.Uid)
            && string.IsNullOrEmpty(meta.ResourceVersion) && (meta.Labels?.Count ?? 0) == 0 && (meta.Annotations?.Count ?? 0) == 0
            && (meta.OwnerReferences?.Count ?? 0) == 0 && (meta.Finalizers?.Count ?? 0) == 0 && meta.DeletionTimestamp is null
            && (allowNamespace || string.IsNullOrEmpty(meta.NamespaceProperty));
        if (!empty)
        {
            errors.Add(FieldError.InvalidRendered(FieldPath.Root("metadata"), KubernetesJson.Serialize(meta), allowNamespace ? "must be empty except for namespace" : "must be empty"));
        }
    }
}
