using System.Reflection;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The strategy of a registration served in another version than it is stored in (<see cref="ResourceInfo.StoredAs"/>):
/// each step converts the object to the stored version, runs that version's strategy, and converts the result back —
/// as kube-apiserver runs one strategy on the internal version whatever version the client speaks. Field paths of
/// errors are therefore the stored version's.
/// </summary>
internal sealed class ConvertedStrategy(ResourceInfo storage, IVersionConverter converter, Func<JsonNode, IKubernetesObject<V1ObjectMeta>> decodeServed) : IResourceStrategy
{
    private readonly IResourceStrategy _inner = storage.Strategy;

    public bool AllowCreateOnUpdate => _inner.AllowCreateOnUpdate;

    public bool AllowUnconditionalUpdate => _inner.AllowUnconditionalUpdate;

    public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        var stored = ToStorage(obj);
        _inner.PrepareForCreate(stored);
        CopyInto(obj, stored);
    }

    public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old, bool statusOnly)
    {
        var stored = ToStorage(obj);
        _inner.PrepareForUpdate(stored, ToStorage(old), statusOnly);
        CopyInto(obj, stored);
    }

    public void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        var stored = ToStorage(obj);
        _inner.Default(stored);
        CopyInto(obj, stored);
    }

    public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) => _inner.Validate(ToStorage(obj));

    public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
        _inner.ValidateUpdate(ToStorage(obj), ToStorage(old));

    public string? GetSelectableField(IKubernetesObject<V1ObjectMeta> obj, string field) => _inner.GetSelectableField(ToStorage(obj), field);

    /// <summary>The object in the stored version (a private copy).</summary>
    public IKubernetesObject<V1ObjectMeta> ToStorage(IKubernetesObject<V1ObjectMeta> served) =>
        storage.Decode(converter.ToStorage(JsonNode.Parse(KubernetesJson.Serialize(served))!.AsObject()));

    /// <summary>Overwrites <paramref name="served"/>'s properties with those of <paramref name="stored"/> seen in the served version.</summary>
    private void CopyInto(IKubernetesObject<V1ObjectMeta> served, IKubernetesObject<V1ObjectMeta> stored)
    {
        var back = decodeServed(converter.FromStorage(JsonNode.Parse(KubernetesJson.Serialize(stored))!.AsObject()));
        foreach (var property in served.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanRead && property.CanWrite && property.Name is not ("ApiVersion" or "Kind"))
            {
                property.SetValue(served, property.GetValue(back));
            }
        }
    }
}
