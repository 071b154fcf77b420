using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class PodStrategy : ResourceStrategy<V1Pod>
{
}
