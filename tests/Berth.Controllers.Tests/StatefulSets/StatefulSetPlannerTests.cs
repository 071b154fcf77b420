using Berth.Controllers.StatefulSets;
using k8s.Models;

namespace Berth.Controllers.Tests.StatefulSets;

public sealed class StatefulSetPlannerTests
{
    private static readonly DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1StatefulSet Set(int replicas, string policy = "OrderedReady", int partition = 0, string strategy = "RollingUpdate", int? start = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", Uid = "set-uid", Generation = 2 },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = "web-svc",
            PodManagementPolicy = policy,
            Ordinals = start is null ? null : new V1StatefulSetOrdinals { Start = start },
            UpdateStrategy = strategy == "OnDelete"
                ? new V1StatefulSetUpdateStrategy { Type = "OnDelete" }
                : new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = partition } },
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "nginx:1" }] },
            },
        },
    };

    private static V1Pod Pod(int ordinal, string revision = "rev-1", bool ready = true, bool terminating = false, string phase = "Running") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web-" + ordinal,
            NamespaceProperty = "ns",
            Uid = "pod-" + ordinal,
            Labels = new Dictionary<string, string> { ["app"] = "web", [StatefulSetPlanner.RevisionLabel] = revision },
            DeletionTimestamp = terminating ? _now.UtcDateTime : null,
        },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = _now.UtcDateTime.AddMinutes(-1) }],
        },
    };

    private static StatefulSetPlan Plan(V1StatefulSet set, params V1Pod[] pods) => StatefulSetPlanner.Plan(set, pods, "rev-1", "rev-1", _now);

    [Fact]
    public void Plan_OrderedReadyWithoutPods_CreatesOnlyTheFirstOrdinal()
    {
        var plan = Plan(Set(3));

        Assert.Equal([new StatefulPodToCreate(0, "rev-1")], plan.PodsToCreate);
        Assert.Empty(plan.PodsToDelete);
    }

    [Fact]
    public void Plan_OrderedReadyFirstPodNotReady_WaitsWithoutCreating()
    {
        var plan = Plan(Set(3), Pod(0, ready: false));

        Assert.Empty(plan.PodsToCreate);
        Assert.Empty(plan.PodsToDelete);
    }

    [Fact]
    public void Plan_OrderedReadyFirstPodPending_Waits()
    {
        var plan = Plan(Set(3), Pod(0, ready: false, phase: "Pending"));

        Assert.Empty(plan.PodsToCreate);
    }

    [Fact]
    public void Plan_OrderedReadyFirstPodReady_CreatesTheNext()
    {
        var plan = Plan(Set(3), Pod(0));

        Assert.Equal([new StatefulPodToCreate(1, "rev-1")], plan.PodsToCreate);
    }

    [Fact]
    public void Plan_Parallel_CreatesEveryMissingOrdinalAtOnce()
    {
        var plan = Plan(Set(3, "Parallel"), Pod(1, ready: false));

        Assert.Equal([0, 2], plan.PodsToCreate.Select(c => c.Ordinal));
    }

    [Fact]
    public void Plan_OrdinalsStart_SlotsBeginThere()
    {
        var plan = Plan(Set(2, "Parallel", start: 5), Pod(0));

        Assert.Equal([5, 6], plan.PodsToCreate.Select(c => c.Ordinal));
        Assert.Equal(["web-0"], plan.PodsToDelete.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void Plan_OrderedReadyScaleDown_DeletesOnlyTheHighestOrdinal()
    {
        var plan = Plan(Set(1), Pod(0), Pod(1), Pod(2));

        Assert.Equal(["web-2"], plan.PodsToDelete.Select(p => p.Metadata.Name));
        Assert.Empty(plan.PodsToCreate);
    }

    [Fact]
    public void Plan_OrderedReadyScaleDownWhileHighestTerminates_Waits()
    {
        var plan = Plan(Set(1), Pod(0), Pod(1), Pod(2, terminating: true));

        Assert.Empty(plan.PodsToDelete);
    }

    [Fact]
    public void Plan_OrderedReadyScaleDownWithAnotherPodUnhealthy_Waits()
    {
        var plan = Plan(Set(1), Pod(0), Pod(1, ready: false), Pod(2));

        Assert.Empty(plan.PodsToDelete);
    }

    [Fact]
    public void Plan_ParallelScaleDown_DeletesAllCondemnedAtOnce()
    {
        var plan = Plan(Set(1, "Parallel"), Pod(0), Pod(1), Pod(2, ready: false));

        Assert.Equal(["web-2", "web-1"], plan.PodsToDelete.Select(p => p.Metadata.Name));
    }

    [Fact]
    public void Plan_FailedPod_IsDeletedToBeRecreatedUnderItsName()
    {
        var plan = Plan(Set(2), Pod(0, ready: false, phase: "Failed"), Pod(1));

        Assert.Equal(["web-0"], plan.PodsToDelete.Select(p => p.Metadata.Name));
        Assert.Empty(plan.PodsToCreate);
    }

    [Fact]
    public void Plan_RollingUpdate_DeletesTheHighestOldPodFirst()
    {
        var set = Set(3);

        var plan = StatefulSetPlanner.Plan(set, [Pod(0), Pod(1), Pod(2)], "rev-1", "rev-2", _now);

        Assert.Equal(["web-2"], plan.PodsToDelete.Select(p => p.Metadata.Name));
        Assert.Equal("rev-1", plan.Status.CurrentRevision);
        Assert.Equal("rev-2", plan.Status.UpdateRevision);
    }

    [Fact]
    public void Plan_RollingUpdateReplacementNotReady_Waits()
    {
        var plan = StatefulSetPlanner.Plan(Set(3), [Pod(0), Pod(1), Pod(2, "rev-2", ready: false)], "rev-1", "rev-2", _now);

        Assert.Empty(plan.PodsToDelete);
    }

    [Fact]
    public void Plan_RollingUpdateAtPartition_LeavesLowerOrdinalsAlone()
    {
        var plan = StatefulSetPlanner.Plan(Set(3, partition: 2), [Pod(0), Pod(1), Pod(2, "rev-2")], "rev-1", "rev-2", _now);

        Assert.Empty(plan.PodsToDelete);
        Assert.Equal(2, plan.Status.CurrentReplicas);
        Assert.Equal(1, plan.Status.UpdatedReplicas);
        Assert.Equal("rev-1", plan.Status.CurrentRevision);
    }

    [Fact]
    public void Plan_OnDelete_NeverDeletesOldPods()
    {
        var plan = StatefulSetPlanner.Plan(Set(2, strategy: "OnDelete"), [Pod(0), Pod(1)], "rev-1", "rev-2", _now);

        Assert.Empty(plan.PodsToDelete);
        Assert.Equal(0, plan.Status.UpdatedReplicas);
    }

    [Fact]
    public void Plan_EveryPodUpdatedAndReady_UpdateRevisionBecomesCurrent()
    {
        var plan = StatefulSetPlanner.Plan(Set(2), [Pod(0, "rev-2"), Pod(1, "rev-2")], "rev-1", "rev-2", _now);

        Assert.Equal("rev-2", plan.Status.CurrentRevision);
        Assert.Equal(2, plan.Status.CurrentReplicas);
        Assert.Equal(2, plan.Status.UpdatedReplicas);
        Assert.Equal(2, plan.Status.ReadyReplicas);
        Assert.Equal(2, plan.Status.AvailableReplicas);
        Assert.Equal(2, plan.Status.ObservedGeneration);
    }

    [Fact]
    public void Plan_SetBeingDeleted_OnlyStatus()
    {
        var set = Set(3);
        set.Metadata.DeletionTimestamp = _now.UtcDateTime;

        var plan = Plan(set, Pod(0));

        Assert.Empty(plan.PodsToCreate);
        Assert.Equal(1, plan.Status.Replicas);
    }

    [Fact]
    public void Plan_MinReadySecondsNotYetPassed_WaitsAndRequeues()
    {
        var set = Set(2);
        set.Spec.MinReadySeconds = 120;

        var plan = Plan(set, Pod(0));

        Assert.Empty(plan.PodsToCreate);
        Assert.Equal(TimeSpan.FromSeconds(120), plan.RequeueAfter);
        Assert.Equal(0, plan.Status.AvailableReplicas);
    }

    [Theory]
    [InlineData(0, "rev-1")]
    [InlineData(1, "rev-1")]
    [InlineData(2, "rev-2")]
    public void RevisionFor_BelowPartitionCurrentElseUpdate(int ordinal, string expected)
    {
        Assert.Equal(expected, StatefulSetPlanner.RevisionFor(Set(3, partition: 2), ordinal, "rev-1", "rev-2"));
    }

    [Fact]
    public void NewPod_CarriesIdentityLabelsHostnameSubdomainAndClaimVolumes()
    {
        var set = Set(3);
        set.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" } }];

        var pod = StatefulSetPlanner.NewPod(set, set.Spec.Template, "web-abc", 2);

        Assert.Equal("web-2", pod.Metadata.Name);
        Assert.Equal("web-2", pod.Metadata.Labels[StatefulSetPlanner.PodNameLabel]);
        Assert.Equal("2", pod.Metadata.Labels[StatefulSetPlanner.PodIndexLabel]);
        Assert.Equal("web-abc", pod.Metadata.Labels[StatefulSetPlanner.RevisionLabel]);
        Assert.Equal("web", pod.Metadata.Labels["app"]);
        Assert.Equal("web-2", pod.Spec.Hostname);
        Assert.Equal("web-svc", pod.Spec.Subdomain);
        Assert.Equal("data-web-2", Assert.Single(pod.Spec.Volumes).PersistentVolumeClaim.ClaimName);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("StatefulSet", "set-uid", true), (owner.Kind, owner.Uid, owner.Controller ?? false));
        Assert.Null(set.Spec.Template.Spec.Hostname);
    }

    [Theory]
    [InlineData("web-0", 0)]
    [InlineData("web-12", 12)]
    [InlineData("web-x", null)]
    [InlineData("web-", null)]
    [InlineData("webby-1", null)]
    [InlineData("web-db-1", null)]
    public void OrdinalOf_ParsesSetDashNumber(string podName, int? expected)
    {
        Assert.Equal(expected, StatefulSetPlanner.OrdinalOf("web", podName));
    }

    [Fact]
    public void ToTruncate_KeepsLiveRevisionsAndTheNewestHistory()
    {
        var set = Set(1);
        set.Spec.RevisionHistoryLimit = 1;
        var revisions = Enumerable.Range(1, 5)
            .Select(i => new V1ControllerRevision { Metadata = new V1ObjectMeta { Name = "r" + i }, Revision = i })
            .ToList();

        var doomed = StatefulSetRevisions.ToTruncate(set, revisions, [Pod(0, "r2")], "r4", "r5");

        Assert.Equal(["r1"], doomed.Select(r => r.Metadata.Name));
    }

    [Fact]
    public void Revision_RecordsTheTemplateAsAReplacePatch()
    {
        var set = Set(1);

        var revision = StatefulSetRevisions.New(set, 3, null);

        Assert.StartsWith("web-", revision.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(3, revision.Revision);
        Assert.True(StatefulSetRevisions.Records(revision, set.Spec.Template));
        Assert.Contains("\"$patch\":\"replace\"", k8s.KubernetesJson.Serialize(revision.Data), StringComparison.Ordinal);
        Assert.NotEqual(revision.Metadata.Name, StatefulSetRevisions.Name(set, 1));
    }
}
