using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class ConfigMapStrategy : ResourceStrategy<V1ConfigMap>
{
}
