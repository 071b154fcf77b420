using Berth.Controllers.ReplicaSets;
using k8s.Models;

namespace Berth.Controllers.Tests.ReplicaSets;

public sealed class ReplicationControllerConversionTests
{
    [Fact]
    public void ToReplicaSet_SelectorMapBecomesMatchLabelsAndTheViewNamesTheRealKind()
    {
        var rc = new V1ReplicationController
        {
            ApiVersion = "v1",
            Kind = "ReplicationController",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", Uid = "u1" },
            Spec = new V1ReplicationControllerSpec { Replicas = 2, MinReadySeconds = 5, Selector = new Dictionary<string, string> { ["app"] = "web" }, Template = Workloads.Template("web") },
            Status = new V1ReplicationControllerStatus { Replicas = 1, ReadyReplicas = 1, Conditions = [new V1ReplicationControllerCondition { Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate" }] },
        };

        var view = ReplicationControllerConversion.ToReplicaSet(rc);
        var back = ReplicationControllerConversion.ToReplicationController(view);

        Assert.Equal(("v1", "ReplicationController", "u1"), (view.ApiVersion, view.Kind, view.Metadata.Uid));
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, view.Spec.Selector.MatchLabels);
        Assert.Equal((2, 5), (view.Spec.Replicas, view.Spec.MinReadySeconds));
        Assert.Equal("FailedCreate", Assert.Single(view.Status.Conditions).Reason);
        Assert.Equal(k8s.KubernetesJson.Serialize(rc), k8s.KubernetesJson.Serialize(back));
    }

    [Fact]
    public void ToReplicaSet_NoStatusYet_NullStatus()
    {
        var view = ReplicationControllerConversion.ToReplicaSet(new V1ReplicationController { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1ReplicationControllerSpec() });

        Assert.Null(view.Status);
        Assert.Null(view.Spec.Selector.MatchLabels);
    }
}
