using Berth.Controllers.Nodes;
using k8s.Models;

namespace Berth.Controllers.Tests.Nodes;

public sealed class TaintEvictionPlannerTests
{
    private static readonly DateTimeOffset _since = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly V1Taint _unreachable = new() { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute" };

    [Fact]
    public void EvictionTime_NoTolerationForUnreachable_UsesTheDefault300Seconds()
    {
        var due = TaintEvictionPlanner.EvictionTime(Pod(), [_unreachable], _since);

        Assert.Equal(_since.AddSeconds(300), due);
    }

    [Fact]
    public void EvictionTime_UntoleratedOtherTaint_EvictsAtOnce()
    {
        var due = TaintEvictionPlanner.EvictionTime(Pod(), [_unreachable, new V1Taint { Key = "maintenance", Effect = "NoExecute" }], _since);

        Assert.Equal(_since, due);
    }

    [Fact]
    public void EvictionTime_TolerationSeconds_ShortestWins()
    {
        var pod = Pod(
            new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 30 },
            new V1Toleration { OperatorProperty = "Exists", TolerationSeconds = 10 });

        var due = TaintEvictionPlanner.EvictionTime(pod, [_unreachable], _since);

        Assert.Equal(_since.AddSeconds(10), due);
    }

    [Fact]
    public void EvictionTime_ToleratedForever_ReturnsNull()
    {
        var pod = Pod(new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute" });

        var due = TaintEvictionPlanner.EvictionTime(pod, [_unreachable], _since);

        Assert.Null(due);
    }

    private static V1Pod Pod(params V1Toleration[] tolerations) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" },
        Spec = new V1PodSpec { Tolerations = tolerations.Length == 0 ? null : tolerations },
    };
}
