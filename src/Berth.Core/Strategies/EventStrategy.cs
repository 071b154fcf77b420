using k8s.Models;

namespace Berth.Core.Strategies;

public sealed class EventStrategy : ResourceStrategy<Corev1Event>
{
}
