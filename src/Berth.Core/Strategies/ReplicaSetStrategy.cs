using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class ReplicaSetStrategy : ResourceStrategy<V1ReplicaSet>
{
}
