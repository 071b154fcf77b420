using Berth.Controllers.ReplicaSets;
using k8s.Models;
using static Berth.Controllers.Tests.Fixtures.Objects;

namespace Berth.Controllers.Tests.ReplicaSets;

public sealed class ReplicaSetPlannerTests
{
    private static V1ReplicaSet ReplicaSet(int replicas, int minReadySeconds = 0) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "default", Uid = "rs-uid", Generation = 3 },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" },
                    Annotations = new Dictionary<string, string> { ["note"] = "x" },
                },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "nginx" }] },
            },
        },
    };

    private static V1Pod Owned(V1Pod pod)
    {
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-abc", Uid = "rs-uid", Controller = true }];
        return pod;
    }

    [Fact]
    public void Plan_TooFewPods_CreatesTheDifference()
    {
        var pods = new[] { Owned(Pod("a", "10.0.0.1")), Owned(Terminating(Pod("b", "10.0.0.2"))) };

        var plan = ReplicaSetPlanner.Plan(ReplicaSet(replicas: 4), pods, Now);

        Assert.Equal(3, plan.PodsToCreate);
        Assert.Empty(plan.PodsToDelete);
        Assert.Equal(1, plan.Status.Replicas);
    }

    [Fact]
    public void Plan_ScaleDown_DeletesByKubernetesRanking()
    {
        var unassigned = Pod("unassigned", "10.0.0.1", node: "");
        var pending = Pod("pending", "10.0.0.2");
        pending.Status.Phase = "Pending";
        var notReady = Pod("not-ready", "10.0.0.3", ready: false);
        var readyRecently = Pod("ready-recently", "10.0.0.4");
        readyRecently.Status.Conditions[0].LastTransitionTime = Now.UtcDateTime.AddMinutes(-1);
        var restarted = Pod("restarted", "10.0.0.5");
        restarted.Status.ContainerStatuses = [new V1ContainerStatus { Name = "main", RestartCount = 5 }];
        var newer = Pod("newer", "10.0.0.6");
        newer.Metadata.CreationTimestamp = Now.UtcDateTime.AddMinutes(-30);
        var oldest = Pod("oldest", "10.0.0.7");
        var pods = new[] { oldest, newer, restarted, readyRecently, notReady, pending, unassigned }.Select(Owned).ToList();

        var plan = ReplicaSetPlanner.Plan(ReplicaSet(replicas: 1), pods, Now);

        Assert.Equal(["unassigned", "pending", "not-ready", "ready-recently", "restarted", "newer"], plan.PodsToDelete.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void PodsToDelete_DoubledUpOnNode_DeletedFirst()
    {
        var alone = Pod("alone", "10.0.0.1", node: "node-a");
        var crowded = Pod("crowded", "10.0.0.2", node: "node-b");
        var related = new[] { alone, crowded, Pod("other-rs", "10.0.0.3", node: "node-b") };

        var victims = ReplicaSetPlanner.PodsToDelete([alone, crowded], related, 1);

        Assert.Equal("crowded", Assert.Single(victims).Metadata.Name);
    }

    [Fact]
    public void CalculateStatus_MinReadySeconds_CountsOnlyPodsReadyLongEnough()
    {
        var longReady = Owned(Pod("long", "10.0.0.1"));
        var justReady = Owned(Pod("just", "10.0.0.2"));
        justReady.Status.Conditions[0].LastTransitionTime = Now.UtcDateTime.AddSeconds(-5);
        var notReady = Owned(Pod("no", "10.0.0.3", ready: false));
        var mislabelled = Owned(Pod("mislabelled", "10.0.0.4"));
        var rs = ReplicaSet(replicas: 3, minReadySeconds: 30);

        var plan = ReplicaSetPlanner.Plan(rs, [longReady, justReady, notReady, mislabelled], Now);
        rs.Spec.Template.Metadata.Labels.Remove("tier");
        var fullyLabelled = ReplicaSetPlanner.CalculateStatus(rs, [longReady], Now).FullyLabeledReplicas;

        Assert.Equal((4, 0, 3, 2, 3L), (plan.Status.Replicas, plan.Status.FullyLabeledReplicas, plan.Status.ReadyReplicas, plan.Status.AvailableReplicas, plan.Status.ObservedGeneration));
        Assert.Equal(1, fullyLabelled);
        Assert.Single(plan.PodsToDelete);
    }

    [Fact]
    public void Plan_AllReadyButNotYetAvailable_RequeuesAfterMinReadySeconds()
    {
        var pod = Owned(Pod("just", "10.0.0.2"));
        pod.Status.Conditions[0].LastTransitionTime = Now.UtcDateTime.AddSeconds(-5);

        var plan = ReplicaSetPlanner.Plan(ReplicaSet(replicas: 1, minReadySeconds: 30), [pod], Now);

        Assert.Equal(TimeSpan.FromSeconds(30), plan.RequeueAfter);
    }

    [Fact]
    public void PodFromTemplate_BuildsOwnedPod()
    {
        var pod = ReplicaSetPlanner.PodFromTemplate(ReplicaSet(replicas: 1));

        Assert.Equal("web-abc-", pod.Metadata.GenerateName);
        Assert.Equal("default", pod.Metadata.NamespaceProperty);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }, pod.Metadata.Labels);
        Assert.Equal("x", pod.Metadata.Annotations["note"]);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("apps/v1", "ReplicaSet", "web-abc", "rs-uid", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("nginx", pod.Spec.Containers[0].Image);
    }

    [Fact]
    public void ClaimPods_MatchingOrphansAdoptedAndNonMatchingOwnedReleased()
    {
        var owned = Owned(Pod("owned", "10.0.0.1"));
        var orphan = Pod("orphan", "10.0.0.2");
        var terminatingOrphan = Terminating(Pod("terminating-orphan", "10.0.0.3"));
        var strayed = Owned(Pod("strayed", "10.0.0.4"));
        strayed.Metadata.Labels["app"] = "other";
        var foreign = Pod("foreign", "10.0.0.5");
        foreign.Metadata.OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = "x", Uid = "other-uid", Controller = true }];
        var unrelated = Pod("unrelated", "10.0.0.6");
        unrelated.Metadata.Labels["app"] = "db";

        var claim = ReplicaSetPlanner.ClaimPods(ReplicaSet(1), [owned, orphan, terminatingOrphan, strayed, foreign, unrelated]);

        Assert.Equal(["owned", "orphan"], claim.Owned.Select(p => p.Metadata.Name));
        Assert.Equal(["orphan"], claim.ToAdopt.Select(p => p.Metadata.Name));
        Assert.Equal(["strayed"], claim.ToRelease.Select(p => p.Metadata.Name));
    }
}
