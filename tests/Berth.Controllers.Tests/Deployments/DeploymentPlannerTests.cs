using Berth.Controllers.Deployments;
using k8s.Models;
using static Berth.Controllers.Tests.Deployments.DeploymentSimulator;
using static Berth.Controllers.Tests.Fixtures.Objects;

namespace Berth.Controllers.Tests.Deployments;

public sealed class DeploymentPlannerTests
{
    private static DeploymentSimulator RolledOut(V1Deployment deployment)
    {
        var sim = new DeploymentSimulator(deployment);
        sim.RunToCompletion(_ => true);
        return sim;
    }

    [Fact]
    public void Plan_NewDeployment_CreatesReplicaSetWithHashRevisionAndReplicaAnnotations()
    {
        var deployment = NewDeployment(replicas: 3, image: "nginx:1", maxSurge: null, maxUnavailable: null);

        var plan = DeploymentPlanner.Plan(new DeploymentPlanInput { Deployment = deployment, ReplicaSets = [], Now = Now });

        var rs = plan.ReplicaSetToCreate!;
        var hash = PodTemplateHash.Compute(deployment.Spec.Template, null);
        Assert.Equal("web-" + hash, rs.Metadata.Name);
        Assert.Equal(hash, rs.Spec.Selector.MatchLabels["pod-template-hash"]);
        Assert.Equal(hash, rs.Spec.Template.Metadata.Labels["pod-template-hash"]);
        Assert.Equal("web", rs.Spec.Template.Metadata.Labels["app"]);
        Assert.Equal(3, rs.Spec.Replicas);
        Assert.Equal("1", rs.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal("3", rs.Metadata.Annotations["deployment.kubernetes.io/desired-replicas"]);
        Assert.Equal("4", rs.Metadata.Annotations["deployment.kubernetes.io/max-replicas"]);
        Assert.Equal(("Deployment", "deploy-uid", true, true), (rs.Metadata.OwnerReferences[0].Kind, rs.Metadata.OwnerReferences[0].Uid, rs.Metadata.OwnerReferences[0].Controller, rs.Metadata.OwnerReferences[0].BlockOwnerDeletion));
        Assert.Equal("1", plan.RevisionToSet);
    }

    [Fact]
    public void ComputeHash_SameTemplate_StableAndChangesWithTemplate()
    {
        var a = PodTemplateHash.Compute(Template("nginx:1"), null);
        var reordered = Template("nginx:1");
        reordered.Metadata.Labels = new Dictionary<string, string> { ["z"] = "1", ["app"] = "web" };
        var ordered = Template("nginx:1");
        ordered.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web", ["z"] = "1" };

        Assert.Equal(a, PodTemplateHash.Compute(Template("nginx:1"), null));
        Assert.NotEqual(a, PodTemplateHash.Compute(Template("nginx:2"), null));
        Assert.NotEqual(a, PodTemplateHash.Compute(Template("nginx:1"), 1));
        Assert.Equal(PodTemplateHash.Compute(ordered, null), PodTemplateHash.Compute(reordered, null));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]+$", a);
    }

    [Fact]
    public void Plan_TemplateChanged_CreatesNewReplicaSetWithNextRevision()
    {
        var sim = RolledOut(NewDeployment(replicas: 4, image: "nginx:1"));
        sim.Deployment.Spec.Template = Template("nginx:2");

        var plan = sim.Step();

        Assert.NotNull(plan.ReplicaSetToCreate);
        Assert.Equal("2", plan.ReplicaSetToCreate.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal("2", plan.RevisionToSet);
        Assert.Equal("nginx:2", plan.ReplicaSetToCreate.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public void Plan_RollingUpdate4Surge1Unavailable1_NeverBelow3AvailableNorAbove5Pods()
    {
        var sim = RolledOut(NewDeployment(replicas: 4, image: "nginx:1"));
        sim.Deployment.Spec.Template = Template("nginx:2");
        sim.Deployment.Metadata.Generation = 2;
        var observed = new List<(int Available, int Total)>();

        var log = sim.RunToCompletion(rs => rs.Spec.Template.Spec.Containers[0].Image == "nginx:2", () => observed.Add((sim.Available, sim.TotalSpec)));

        Assert.Equal(["1/3", "2/3", "2/1", "4/1", "4/0"], log);
        Assert.All(observed, o => Assert.True(o.Available >= 3 && o.Total <= 5, $"available {o.Available}, pods {o.Total}"));
        Assert.True(DeploymentPlanner.IsComplete(sim.Deployment, sim.Deployment.Status));
    }

    [Fact]
    public void Plan_Recreate_ScalesOldToZeroWaitsForPodsThenCreatesNew()
    {
        var sim = RolledOut(NewDeployment(replicas: 3, image: "nginx:1", strategy: "Recreate"));
        var old = sim.ReplicaSets.Single();
        sim.Deployment.Spec.Template = Template("nginx:2");
        var oldPod = Pod("web-old-1", "10.0.0.1");
        oldPod.Metadata.OwnerReferences = [new V1OwnerReference { Kind = "ReplicaSet", Name = old.Metadata.Name, Uid = old.Metadata.Uid, Controller = true }];

        var first = DeploymentPlanner.Plan(new DeploymentPlanInput { Deployment = sim.Deployment, ReplicaSets = sim.ReplicaSets, Now = Now });
        old.Spec.Replicas = 0;
        var waiting = DeploymentPlanner.Plan(new DeploymentPlanInput { Deployment = sim.Deployment, ReplicaSets = sim.ReplicaSets, Pods = [oldPod], Now = Now });
        old.Status.Replicas = 0;
        old.Status.AvailableReplicas = 0;
        var stillWaiting = DeploymentPlanner.Plan(new DeploymentPlanInput { Deployment = sim.Deployment, ReplicaSets = sim.ReplicaSets, Pods = [oldPod], Now = Now });
        oldPod.Status.Phase = "Succeeded";
        var last = DeploymentPlanner.Plan(new DeploymentPlanInput { Deployment = sim.Deployment, ReplicaSets = sim.ReplicaSets, Pods = [oldPod], Now = Now });

        Assert.Null(first.ReplicaSetToCreate);
        Assert.Equal(0, Assert.Single(first.ReplicaSetsToUpdate).Spec.Replicas);
        Assert.Null(waiting.ReplicaSetToCreate);
        Assert.Null(stillWaiting.ReplicaSetToCreate);
        Assert.Equal(3, last.ReplicaSetToCreate!.Spec.Replicas);
    }

    [Theory]
    [InlineData("25%", "25%", 10, 3, 2)]
    [InlineData("25%", "25%", 1, 1, 0)]
    [InlineData("0%", "0%", 10, 0, 1)]
    [InlineData("0", "0", 4, 0, 1)]
    [InlineData("2", "50%", 5, 2, 2)]
    [InlineData("34%", "34%", 3, 2, 1)]
    public void ResolveFenceposts_Percentages_SurgeRoundsUpUnavailableDown(string surge, string unavailable, int replicas, int expectedSurge, int expectedUnavailable)
    {
        var result = DeploymentMath.ResolveFenceposts(surge, unavailable, replicas);

        Assert.Equal((expectedSurge, expectedUnavailable), result);
    }

    [Fact]
    public void MaxUnavailable_MoreThanReplicas_ClampedToReplicas()
    {
        var deployment = NewDeployment(replicas: 2, image: "nginx:1", maxSurge: "0", maxUnavailable: "5");

        Assert.Equal(2, DeploymentMath.MaxUnavailable(deployment));
        Assert.Equal(0, DeploymentMath.MaxSurge(NewDeployment(replicas: 2, image: "nginx:1", strategy: "Recreate")));
    }

    [Fact]
    public void Plan_CompleteWithHistoryBeyondLimit_DeletesOldestEmptyReplicaSets()
    {
        var sim = RolledOut(NewDeployment(replicas: 2, image: "v1"));
        foreach (var image in new[] { "v2", "v3", "v4", "v5" })
        {
            sim.Deployment.Spec.Template = Template(image);
            sim.RunToCompletion(rs => rs.Spec.Template.Spec.Containers[0].Image == image);
        }

        sim.Deployment.Spec.RevisionHistoryLimit = 2;
        var plan = sim.Step();

        Assert.Equal(["1", "2"], plan.ReplicaSetsToDelete.Select(rs => rs.Metadata.Annotations["deployment.kubernetes.io/revision"]));
        Assert.Equal(["v3", "v4", "v5"], sim.ReplicaSets.Select(rs => rs.Spec.Template.Spec.Containers[0].Image).Order());
    }

    [Fact]
    public void Plan_RollbackToOldTemplate_ReusesReplicaSetWithNextRevision()
    {
        var sim = RolledOut(NewDeployment(replicas: 2, image: "v1"));
        var first = sim.ReplicaSets.Single().Metadata.Name;
        sim.Deployment.Spec.Template = Template("v2");
        sim.RunToCompletion(rs => rs.Spec.Template.Spec.Containers[0].Image == "v2");
        sim.Deployment.Spec.Template = Template("v1");

        var plan = sim.Step();
        var log = sim.RunToCompletion(rs => rs.Metadata.Name == first);

        Assert.Null(plan.ReplicaSetToCreate);
        var reused = plan.ReplicaSetsToUpdate.Single(rs => rs.Metadata.Name == first);
        Assert.Equal("3", reused.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal("1", reused.Metadata.Annotations["deployment.kubernetes.io/revision-history"]);
        Assert.Equal("3", sim.Deployment.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        Assert.Equal(2, sim.ReplicaSets.Count);
        Assert.Equal("2/0", log[^1]);
    }

    [Fact]
    public void Plan_Rollout_ConditionsMoveFromCreatedToAvailable()
    {
        var sim = new DeploymentSimulator(NewDeployment(replicas: 3, image: "nginx:1", maxSurge: null, maxUnavailable: null));

        var created = sim.Step();
        sim.Clock = Now.AddSeconds(10);
        sim.MakeAvailable();
        var done = sim.Step();

        Assert.Equal(
            ["Progressing=True/NewReplicaSetCreated", "Available=False/MinimumReplicasUnavailable"],
            created.Status.Conditions.Select(c => $"{c.Type}={c.Status}/{c.Reason}"));
        Assert.Equal(
            ["Progressing=True/NewReplicaSetAvailable", "Available=True/MinimumReplicasAvailable"],
            done.Status.Conditions.Select(c => $"{c.Type}={c.Status}/{c.Reason}").Order(StringComparer.Ordinal).Reverse());
        Assert.Equal((3, 3, 3, 3, 0), (done.Status.Replicas, done.Status.UpdatedReplicas, done.Status.ReadyReplicas, done.Status.AvailableReplicas, done.Status.UnavailableReplicas));
        Assert.Equal(1L, done.Status.ObservedGeneration);
        Assert.True(DeploymentPlanner.IsComplete(sim.Deployment, done.Status));
    }

    [Fact]
    public void Plan_NoProgressPastDeadline_ProgressDeadlineExceeded()
    {
        var sim = new DeploymentSimulator(NewDeployment(replicas: 3, image: "nginx:1"));
        sim.Deployment.Spec.ProgressDeadlineSeconds = 60;
        sim.Step();
        sim.Clock = Now.AddSeconds(10);
        var progressed = sim.Step();

        sim.Clock = Now.AddSeconds(71);
        var stuck = sim.Step();

        Assert.Equal("ReplicaSetUpdated", progressed.Status.Conditions.Single(c => c.Type == "Progressing").Reason);
        var progressing = stuck.Status.Conditions.Single(c => c.Type == "Progressing");
        Assert.Equal(("False", "ProgressDeadlineExceeded"), (progressing.Status, progressing.Reason));
    }

    [Fact]
    public void Plan_ScaledDuringSteadyState_ScalesTheOnlyActiveReplicaSet()
    {
        var sim = RolledOut(NewDeployment(replicas: 2, image: "v1"));
        sim.Deployment.Spec.Replicas = 5;

        var plan = sim.Step();

        var rs = Assert.Single(plan.ReplicaSetsToUpdate);
        Assert.Equal(5, rs.Spec.Replicas);
        Assert.Equal("5", rs.Metadata.Annotations["deployment.kubernetes.io/desired-replicas"]);
    }
}
