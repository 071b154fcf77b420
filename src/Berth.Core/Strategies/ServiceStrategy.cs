using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class ServiceStrategy : ResourceStrategy<V1Service>
{
}
