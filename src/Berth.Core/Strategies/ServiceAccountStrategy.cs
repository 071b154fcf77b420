using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The ServiceAccount strategy (pkg/registry/core/serviceaccount/strategy.go): secret references keep only their name
/// (<c>cleanSecretReferences</c>); <c>ValidateServiceAccount</c> checks the metadata only.
/// </summary>
public sealed class ServiceAccountStrategy : ResourceStrategy<V1ServiceAccount>
{
    protected override void PrepareForCreate(V1ServiceAccount obj) => CleanSecretReferences(obj);

    protected override void PrepareForUpdate(V1ServiceAccount obj, V1ServiceAccount old, bool statusOnly) => CleanSecretReferences(obj);

    private static void CleanSecretReferences(V1ServiceAccount obj)
    {
        if (obj.Secrets is { } secrets)
        {
            obj.Secrets = secrets.Select(s => new V1ObjectReference { Name = s?.Name }).ToList();
        }
    }
}
