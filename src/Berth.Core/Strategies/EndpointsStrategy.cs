using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class EndpointsStrategy : ResourceStrategy<V1Endpoints>
{
}
