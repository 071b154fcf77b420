using System.Collections.Frozen;
using Berth.Core.Resources;

namespace Berth.Client;

/// <summary>Finds the <see cref="ResourceInfo"/> of a model type (<c>V1Pod</c> → pods in core/v1).</summary>
internal sealed class ResourceTypes
{
    private readonly FrozenDictionary<Type, ResourceInfo> _byType;

    public ResourceTypes(ResourceRegistry registry)
    {
        _byType = registry.All.ToFrozenDictionary(r => r.ModelType);
    }

    public ResourceInfo For<T>() =>
        _byType.TryGetValue(typeof(T), out var info)
            ? info
            : throw new ArgumentException($"{typeof(T).Name} is not a resource in the registry", nameof(T));
}
