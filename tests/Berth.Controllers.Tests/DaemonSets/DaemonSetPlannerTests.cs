using Berth.Controllers.DaemonSets;
using k8s.Models;

namespace Berth.Controllers.Tests.DaemonSets;

public sealed class DaemonSetPlannerTests
{
    private static readonly DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1DaemonSet DaemonSet(string image = "agent:1") => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "default", Uid = "ds-uid", Generation = 2 },
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
            UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 1 } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "agent" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
            },
        },
    };

    private static V1Node Node(string name, Dictionary<string, string>? labels = null, V1Taint? taint = null, bool unschedulable = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1NodeSpec { Taints = taint is null ? null : [taint], Unschedulable = unschedulable },
    };

    /// <summary>A ready, running pod of <paramref name="ds"/> on <paramref name="node"/>.</summary>
    private static V1Pod Running(V1DaemonSet ds, string node, string name)
    {
        var pod = DaemonSetPlanner.PodFor(ds, node);
        pod.Metadata.Name = name;
        pod.Metadata.CreationTimestamp = _now.UtcDateTime.AddMinutes(-5);
        pod.Spec.NodeName = node;
        pod.Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = _now.UtcDateTime.AddMinutes(-4) }] };
        return pod;
    }

    [Fact]
    public void Plan_NoPods_OneCreatePerEligibleNode()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["role"] = "edge" };
        var nodes = new[]
        {
            Node("a", new() { ["role"] = "edge" }),
            Node("b", new() { ["role"] = "core" }),
            Node("c", new() { ["role"] = "edge" }, unschedulable: true),
            Node("d", new() { ["role"] = "edge" }, new V1Taint { Key = "dedicated", Value = "db", Effect = "NoSchedule" }),
            Node("e", new() { ["role"] = "edge" }, new V1Taint { Key = "node.kubernetes.io/not-ready", Effect = "NoExecute" }),
        };

        var plan = DaemonSetPlanner.Plan(ds, nodes, [], _now);

        Assert.Equal(["a", "c", "e"], plan.Create);
        Assert.Equal(3, plan.Status.DesiredNumberScheduled);
        Assert.Equal(0, plan.Status.CurrentNumberScheduled);
        Assert.Equal(3, plan.Status.NumberUnavailable);
    }

    [Fact]
    public void Plan_PodOnIneligibleAndDuplicatePods_DeletedAndCountedMisscheduled()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["role"] = "edge" };
        var keep = Running(ds, "a", "keep");
        var duplicate = Running(ds, "a", "dup");
        duplicate.Metadata.CreationTimestamp = _now.UtcDateTime;
        var misplaced = Running(ds, "b", "misplaced");
        var orphaned = Running(ds, "gone", "orphaned");

        var plan = DaemonSetPlanner.Plan(ds, [Node("a", new() { ["role"] = "edge" }), Node("b")], [keep, duplicate, misplaced, orphaned], _now);

        Assert.Empty(plan.Create);
        Assert.Equal(["dup", "misplaced", "orphaned"], plan.Delete.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.Equal((1, 1, 1), (plan.Status.DesiredNumberScheduled, plan.Status.CurrentNumberScheduled, plan.Status.NumberMisscheduled));
        Assert.Equal(1, plan.Status.NumberReady);
        Assert.Equal(1, plan.Status.UpdatedNumberScheduled);
    }

    [Fact]
    public void Plan_NewTemplate_ReplacesOnePodAtATime()
    {
        var old = DaemonSet("agent:1");
        var pods = new[] { Running(old, "a", "pa"), Running(old, "b", "pb"), Running(old, "c", "pc") };

        var plan = DaemonSetPlanner.Plan(DaemonSet("agent:2"), [Node("a"), Node("b"), Node("c")], pods, _now);

        Assert.Equal("pa", Assert.Single(plan.Delete).Metadata.Name);
        Assert.Null(plan.Status.UpdatedNumberScheduled);
    }

    [Fact]
    public void Plan_FailedPod_DeletedToBeMadeAgain()
    {
        var ds = DaemonSet();
        var failed = Running(ds, "a", "failed");
        failed.Status.Phase = "Failed";

        var plan = DaemonSetPlanner.Plan(ds, [Node("a")], [failed], _now);

        Assert.Same(failed, Assert.Single(plan.Delete));
        Assert.Equal(["a"], plan.Create);
    }

    [Fact]
    public void PodFor_NodeAffinityOnTheNodeNameAndDefaultTolerations()
    {
        var ds = DaemonSet();
        ds.Spec.Template.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["z1"] }] }],
                },
            },
        };

        var pod = DaemonSetPlanner.PodFor(ds, "node-7");

        var term = Assert.Single(pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        Assert.Equal("zone", Assert.Single(term.MatchExpressions).Key);
        var field = Assert.Single(term.MatchFields);
        Assert.Equal(("metadata.name", "In", "node-7"), (field.Key, field.OperatorProperty, Assert.Single(field.Values)));
        Assert.Equal("node-7", DaemonSetPlanner.TargetNode(pod));
        Assert.Contains(pod.Spec.Tolerations, t => t is { Key: "node.kubernetes.io/unschedulable", Effect: "NoSchedule", OperatorProperty: "Exists" });
        Assert.Contains(pod.Spec.Tolerations, t => t is { Key: "node.kubernetes.io/not-ready", Effect: "NoExecute" });
        Assert.Equal("ds-uid", Assert.Single(pod.Metadata.OwnerReferences).Uid);
        Assert.True(pod.Metadata.Labels.ContainsKey(DaemonSetPlanner.RevisionHashLabel));
        Assert.Null(ds.Spec.Template.Spec.Tolerations);
    }
}
