using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>Typed base for a kind's strategy; subclasses override what their kind needs.</summary>
public abstract class ResourceStrategy<T> : IResourceStrategy
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public virtual bool AllowCreateOnUpdate => false;

    public virtual bool AllowUnconditionalUpdate => false;

    public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj) => PrepareForCreate((T)obj);

    public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old, bool statusOnly) =>
        PrepareForUpdate((T)obj, (T)old, statusOnly);

    public void Default(IKubernetesObject<V1ObjectMeta> obj) => Default((T)obj);

    public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj)
    {
        var errors = new List<FieldError>();
        Validate((T)obj, errors);
        return errors;
    }

    public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var errors = new List<FieldError>();
        ValidateUpdate((T)obj, (T)old, errors);
        return errors;
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

    protected virtual void Validate(T obj, List<FieldError> errors)
    {
    }

    protected virtual void ValidateUpdate(T obj, T old, List<FieldError> errors) => Validate(obj, errors);

    protected virtual string? GetSelectableField(T obj, string field) => null;
}
