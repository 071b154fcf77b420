using Berth.Core.Errors;
using Berth.Core.Resources;
using Berth.Core.Validation;
using k8s;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// Typed base for a kind's strategy; subclasses override what their kind needs. Object metadata
/// (name per <see cref="NameValidator"/>, namespace, labels, annotations, finalizers, owner
/// references, identity immutability on update) is handled here for every kind.
/// </summary>
public abstract class ResourceStrategy<T> : IResourceStrategy
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public virtual bool AllowCreateOnUpdate => false;

    public virtual bool AllowUnconditionalUpdate => false;

    /// <summary>False for cluster-scoped kinds (Namespace, Node): a namespace is then forbidden.</summary>
    protected virtual bool Namespaced => true;

    /// <summary>The rule for <c>metadata.name</c>; most kinds use a DNS-1123 subdomain.</summary>
    protected virtual NameValidator NameValidator => NameValidators.DNS1123Subdomain;

    public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj) => PrepareForCreate((T)obj);

    public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old, bool statusOnly)
    {
        ObjectMetaValidator.PrepareForUpdate(obj.Metadata, old.Metadata);
        PrepareForUpdate((T)obj, (T)old, statusOnly);
    }

    public void Default(IKubernetesObject<V1ObjectMeta> obj) => Default((T)obj);

    public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj)
    {
        var errors = new List<FieldError>(ObjectMetaValidator.Validate(obj.Metadata, Namespaced, NameValidator));
        Validate((T)obj, errors);
        return Distinct(errors);
    }

    public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var errors = new List<FieldError>(ObjectMetaValidator.ValidateUpdate(obj.Metadata, old.Metadata));
        errors.AddRange(ObjectMetaValidator.Validate(obj.Metadata, Namespaced, NameValidator));
        ValidateUpdate((T)obj, (T)old, errors);
        return Distinct(errors);
    }

    public string? GetSelectableField(IKubernetesObject<V1ObjectMeta> obj, string field) => field switch
    {
        "metadata.name" => obj.Metadata?.Name ?? "",
        "metadata.namespace" => obj.Metadata?.NamespaceProperty ?? "",
        _ => GetSelectableField((T)obj, field),
    };

    protected virtual void PrepareForCreate(T obj)
    {
    }

    protected virtual void PrepareForUpdate(T obj, T old, bool statusOnly)
    {
    }

    protected virtual void Default(T obj)
    {
    }

    /// <summary>Kind-specific validation; metadata has already been validated.</summary>
    protected virtual void Validate(T obj, List<FieldError> errors)
    {
    }

    /// <summary>Kind-specific update validation; by default the create rules.</summary>
    protected virtual void ValidateUpdate(T obj, T old, List<FieldError> errors) => Validate(obj, errors);

    protected virtual string? GetSelectableField(T obj, string field) => null;

    /// <summary>apimachinery's aggregate drops repeated messages; so do we.</summary>
    private static List<FieldError> Distinct(List<FieldError> errors) =>
        errors.DistinctBy(e => e.ToString(), StringComparer.Ordinal).ToList();
}
