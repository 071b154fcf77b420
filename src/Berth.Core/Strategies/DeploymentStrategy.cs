using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class DeploymentStrategy : ResourceStrategy<V1Deployment>
{
}
