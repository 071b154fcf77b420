using k8s;
using k8s.Models;

namespace Berth.Controllers.ServiceAccounts;

/// <summary>The one object of kind <typeparamref name="T"/> that <see cref="NamespaceObjectController{T}"/> keeps in every active namespace.</summary>
public interface INamespaceObject<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The object's name (<c>default</c>, <c>kube-root-ca.crt</c>).</summary>
    string Name { get; }

    /// <summary>The object to create in <paramref name="ns"/> when it is missing.</summary>
    T Desired(string ns);

    /// <summary>A copy of <paramref name="existing"/> put right, or null when it needs nothing (or is never repaired).</summary>
    T? Repair(T existing);
}
