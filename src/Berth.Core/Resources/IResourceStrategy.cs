using Berth.Core.Errors;
using k8s;
using k8s.Models;

namespace Berth.Core.Resources;

/// <summary>
/// What is particular to one kind on the write path, in the order the API server calls it (as a
/// Kubernetes REST strategy): <see cref="PrepareForCreate"/> or <see cref="PrepareForUpdate"/>, then
/// <see cref="Default"/>, then <see cref="Validate"/> or <see cref="ValidateUpdate"/>. Generic object
/// metadata (name, namespace, labels, annotations, …) is validated by these methods too.
/// </summary>
public interface IResourceStrategy
{
    /// <summary>PUT on a missing object creates it (Services do).</summary>
    bool AllowCreateOnUpdate { get; }

    /// <summary>PUT without <c>metadata.resourceVersion</c> is accepted (Services do).</summary>
    bool AllowUnconditionalUpdate { get; }

    /// <summary>Clears what a client may not set on create (status, for most kinds).</summary>
    void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj);

    /// <summary>On a main-resource update: keeps the old status. On a status update (<paramref name="statusOnly"/>): keeps the old spec.</summary>
    void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old, bool statusOnly);

    /// <summary>Applies the API defaults of this kind (<c>SetDefaults_*</c>); idempotent.</summary>
    void Default(IKubernetesObject<V1ObjectMeta> obj);

    IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj);

    IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old);

    /// <summary>The value of a field selector field (<c>spec.nodeName</c>, <c>status.phase</c>, …), or null if this kind does not support it.</summary>
    string? GetSelectableField(IKubernetesObject<V1ObjectMeta> obj, string field);
}
