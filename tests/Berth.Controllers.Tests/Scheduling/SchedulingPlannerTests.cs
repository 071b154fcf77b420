using Berth.Controllers.Scheduling;
using k8s.Models;

namespace Berth.Controllers.Tests.Scheduling;

public sealed class SchedulingPlannerTests
{
    [Fact]
    public void Schedule_NoNodeFits_CountsReasonsSortedLikeKubernetes()
    {
        var nodes = new[] { Node("a", ready: false), Node("b", unschedulable: true), Node("c"), Node("d") };
        var pod = Pod("p", new Dictionary<string, string> { ["disk"] = "ssd" });

        var result = SchedulingPlanner.Schedule(pod, nodes, []);

        Assert.Null(result.NodeName);
        Assert.Equal(
            "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector.",
            result.Message);
    }

    [Fact]
    public void Schedule_SiblingsOnOneNode_PrefersTheNodeWithFewerSiblingsThenFewerPods()
    {
        var nodes = new[] { Node("a"), Node("b"), Node("c") };
        var sibling = Pod("s1", owner: "rs-1");
        var stranger = Pod("x1", owner: "rs-2");
        var placements = new List<(V1Pod, string)> { (sibling, "a"), (stranger, "b") };

        var result = SchedulingPlanner.Schedule(Pod("p", owner: "rs-1"), nodes, placements);

        Assert.Equal("c", result.NodeName);
    }

    [Fact]
    public void Schedule_Tie_PicksTheFirstNodeByName()
    {
        var result = SchedulingPlanner.Schedule(Pod("p"), [Node("b"), Node("a")], []);

        Assert.Equal("a", result.NodeName);
    }

    [Fact]
    public void Schedule_UntoleratedNoScheduleTaint_SkipsTheNodeUnlessTolerated()
    {
        var tainted = Node("a");
        tainted.Spec.Taints = [new V1Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoSchedule" }, new V1Taint { Key = "soft", Effect = "PreferNoSchedule" }];
        var tolerant = Pod("t");
        tolerant.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists" }];

        var plain = SchedulingPlanner.Schedule(Pod("p"), [tainted], []);
        var tolerated = SchedulingPlanner.Schedule(tolerant, [tainted], []);

        Assert.Equal("0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.", plain.Message);
        Assert.Equal("a", tolerated.NodeName);
    }

    [Fact]
    public void Schedule_NoExecuteTaintWithValue_NeedsAMatchingValue()
    {
        var node = Node("a");
        node.Spec.Taints = [new V1Taint { Key = "dedicated", Value = "gpu", Effect = "NoExecute" }];
        var wrong = Pod("w");
        wrong.Spec.Tolerations = [new V1Toleration { Key = "dedicated", Value = "cpu" }];
        var right = Pod("r");
        right.Spec.Tolerations = [new V1Toleration { Key = "dedicated", Value = "gpu", Effect = "NoExecute" }];

        Assert.Equal("0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.", SchedulingPlanner.Schedule(wrong, [node], []).Message);
        Assert.Equal("a", SchedulingPlanner.Schedule(right, [node], []).NodeName);
    }

    private static V1Node Node(string name, bool ready = true, bool unschedulable = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>() },
        Spec = new V1NodeSpec { Unschedulable = unschedulable },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready ? "True" : "False" }] },
    };

    private static V1Pod Pod(string name, Dictionary<string, string>? selector = null, string? owner = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            OwnerReferences = owner is null ? null : [new V1OwnerReference { Kind = "ReplicaSet", Name = owner, Uid = owner, Controller = true, ApiVersion = "apps/v1" }],
        },
        Spec = new V1PodSpec { NodeSelector = selector },
    };
}
