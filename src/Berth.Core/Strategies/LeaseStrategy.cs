using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class LeaseStrategy : ResourceStrategy<V1Lease>
{
}
