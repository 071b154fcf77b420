using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class EndpointSliceStrategy : ResourceStrategy<V1EndpointSlice>
{
}
