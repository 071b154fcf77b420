using Berth.Controllers.Common;
using Berth.Controllers.Deployments;
using k8s.Models;
using static Berth.Controllers.Tests.Fixtures.Objects;

namespace Berth.Controllers.Tests.Deployments;

/// <summary>
/// Stands in for the API server and the ReplicaSet controller: applies a <see cref="DeploymentPlan"/>, then lets
/// pods come and go. Removed pods vanish at once; added pods are unavailable until <see cref="MakeAvailable"/>.
/// </summary>
internal sealed class DeploymentSimulator(V1Deployment deployment)
{
    private int _created;

    public V1Deployment Deployment { get; } = deployment;

    public List<V1ReplicaSet> ReplicaSets { get; } = [];

    public DateTimeOffset Clock { get; set; } = Now;

    public DeploymentPlan Step()
    {
        var plan = DeploymentPlanner.Plan(new DeploymentPlanInput { Deployment = Deployment, ReplicaSets = ReplicaSets, Now = Clock });
        if (plan.ReplicaSetToCreate is { } created)
        {
            var copy = ObjectCopy.Clone(created);
            copy.Metadata.Uid = "rs-uid-" + copy.Metadata.Name;
            copy.Metadata.CreationTimestamp = Clock.UtcDateTime.AddSeconds(_created++);
            ReplicaSets.Add(copy);
        }

        foreach (var updated in plan.ReplicaSetsToUpdate)
        {
            ReplicaSets[ReplicaSets.FindIndex(rs => rs.Metadata.Name == updated.Metadata.Name)] = ObjectCopy.Clone(updated);
        }

        ReplicaSets.RemoveAll(rs => plan.ReplicaSetsToDelete.Any(d => d.Metadata.Name == rs.Metadata.Name));
        if (plan.RevisionToSet is { } revision)
        {
            Deployment.Metadata.Annotations ??= new Dictionary<string, string>();
            Deployment.Metadata.Annotations[WellKnown.RevisionAnnotation] = revision;
        }

        Deployment.Status = plan.Status;
        foreach (var rs in ReplicaSets)
        {
            rs.Status ??= new V1ReplicaSetStatus();
            var replicas = rs.Spec.Replicas ?? 1;
            rs.Status.Replicas = replicas;
            rs.Status.AvailableReplicas = Math.Min(rs.Status.AvailableReplicas ?? 0, replicas);
            rs.Status.ReadyReplicas = rs.Status.AvailableReplicas;
        }

        return plan;
    }

    public void MakeAvailable()
    {
        foreach (var rs in ReplicaSets)
        {
            rs.Status.AvailableReplicas = rs.Spec.Replicas;
            rs.Status.ReadyReplicas = rs.Spec.Replicas;
        }
    }

    public int Available => ReplicaSets.Sum(rs => rs.Status?.AvailableReplicas ?? 0);

    public int TotalSpec => ReplicaSets.Sum(rs => rs.Spec.Replicas ?? 1);

    public V1ReplicaSet Newest => ReplicaSets.Single(rs => PodTemplateHash.EqualIgnoreHash(rs.Spec.Template, Deployment.Spec.Template));

    public static V1Deployment NewDeployment(int replicas, string image, string strategy = "RollingUpdate", string? maxSurge = "1", string? maxUnavailable = "1") => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "deploy-uid", Generation = 1 },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Strategy = new V1DeploymentStrategy
            {
                Type = strategy,
                RollingUpdate = strategy == "RollingUpdate" ? new V1RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable } : null,
            },
            Template = Template(image),
        },
    };

    public static V1PodTemplateSpec Template(string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
    };

    /// <summary>Runs steps (each followed by pods becoming available) until a step plans nothing.</summary>
    public List<string> RunToCompletion(Func<V1ReplicaSet, bool> isNew, Action? afterEachStep = null)
    {
        var log = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var plan = Step();
            afterEachStep?.Invoke();
            MakeAvailable();
            if (plan.ReplicaSetToCreate is null && plan.ReplicaSetsToUpdate.Count == 0 && plan.ReplicaSetsToDelete.Count == 0 && !plan.StatusChanged)
            {
                return log;
            }

            if (plan.ReplicaSetToCreate is not null || plan.ReplicaSetsToUpdate.Count > 0)
            {
                var newRs = ReplicaSets.Where(isNew).Sum(rs => rs.Spec.Replicas ?? 1);
                var oldRs = ReplicaSets.Where(rs => !isNew(rs)).Sum(rs => rs.Spec.Replicas ?? 1);
                log.Add($"{newRs}/{oldRs}");
            }
        }

        throw new InvalidOperationException("rollout did not converge: " + string.Join(" ", log));
    }
}
