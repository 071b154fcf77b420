using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class NodeStrategy : ResourceStrategy<V1Node>
{
}
