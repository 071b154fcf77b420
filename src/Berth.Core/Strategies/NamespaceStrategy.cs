using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class NamespaceStrategy : ResourceStrategy<V1Namespace>
{
}
