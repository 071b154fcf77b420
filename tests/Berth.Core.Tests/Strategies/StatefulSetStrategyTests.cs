using Berth.Core.Errors;
using Berth.Core.Strategies;
using k8s;
using k8s.Models;

namespace Berth.Core.Tests.Strategies;

public sealed class StatefulSetStrategyTests
{
    private static V1StatefulSet StatefulSet(Action<V1StatefulSetSpec>? configure = null)
    {
        var set = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1StatefulSetSpec
            {
                ServiceName = "web",
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        };
        configure?.Invoke(set.Spec);
        return set;
    }

    private static IReadOnlyList<FieldError> Create(V1StatefulSet set)
    {
        var strategy = new StatefulSetStrategy();
        strategy.PrepareForCreate(set);
        strategy.Default(set);
        return strategy.Validate(set);
    }

    private static IReadOnlyList<FieldError> Update(V1StatefulSet set, Action<V1StatefulSetSpec> change)
    {
        var strategy = new StatefulSetStrategy();
        Create(set);
        var updated = KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(set));
        change(updated.Spec);
        strategy.PrepareForUpdate(updated, set, statusOnly: false);
        strategy.Default(updated);
        return strategy.ValidateUpdate(updated, set);
    }

    [Fact]
    public void Default_MinimalStatefulSet_AppsV1Defaults()
    {
        var set = StatefulSet();

        var errors = Create(set);

        Assert.Empty(errors);
        Assert.Equal(1, set.Spec.Replicas);
        Assert.Equal("OrderedReady", set.Spec.PodManagementPolicy);
        Assert.Equal("RollingUpdate", set.Spec.UpdateStrategy.Type);
        Assert.Equal(0, set.Spec.UpdateStrategy.RollingUpdate.Partition);
        Assert.Null(set.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable);
        Assert.Equal(10, set.Spec.RevisionHistoryLimit);
        Assert.Equal("Retain", set.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted);
        Assert.Equal("Retain", set.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled);
        Assert.Equal("Always", set.Spec.Template.Spec.RestartPolicy);
        Assert.Equal(0, set.Status.Replicas);
    }

    [Fact]
    public void Validate_EmptySelector_StatefulSetWording()
    {
        var errors = Create(StatefulSet(s => s.Selector = new V1LabelSelector()));

        Assert.Contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset", errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_SelectorMismatch_TemplateLabelsInvalid()
    {
        var errors = Create(StatefulSet(s => s.Template.Metadata.Labels["app"] = "other"));

        Assert.Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_UnknownPodManagementPolicy_Invalid()
    {
        var errors = Create(StatefulSet(s => s.PodManagementPolicy = "Random"));

        Assert.Equal("spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_UnknownUpdateStrategy_Invalid()
    {
        var errors = Create(StatefulSet(s => s.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "Recreate" }));

        Assert.Equal("spec.updateStrategy: Invalid value: \"Recreate\": must be 'RollingUpdate' or 'OnDelete'", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_OnDeleteWithRollingUpdate_Invalid()
    {
        var errors = Create(StatefulSet(s => s.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 1 } }));

        Assert.Equal("spec.updateStrategy.rollingUpdate: Invalid value: {}: only allowed for updateStrategy 'RollingUpdate'", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NegativePartitionAndZeroMaxUnavailable_Invalid()
    {
        var errors = Create(StatefulSet(s => s.UpdateStrategy = new V1StatefulSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = -1, MaxUnavailable = 0 },
        }));

        Assert.Equal(
            [
                "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0",
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"0\": must be greater than zero",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_BadServiceName_Invalid()
    {
        var errors = Create(StatefulSet(s => s.ServiceName = "Web_Svc"));

        Assert.StartsWith("spec.serviceName: Invalid value: \"Web_Svc\": a DNS-1035 label must consist of lower case", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeOrdinalsStart_Invalid()
    {
        var errors = Create(StatefulSet(s => s.Ordinals = new V1StatefulSetOrdinals { Start = -2 }));

        Assert.Equal("spec.ordinals.start: Invalid value: -2: must be greater than or equal to 0", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_ServiceNameChanged_SpecForbidden()
    {
        var errors = Update(StatefulSet(), s => s.ServiceName = "other");

        Assert.Equal(
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_MutableFieldsChanged_Allowed()
    {
        var errors = Update(StatefulSet(), s =>
        {
            s.Replicas = 5;
            s.Template.Spec.Containers[0].Image = "nginx:1.28";
            s.UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" };
            s.MinReadySeconds = 3;
            s.Ordinals = new V1StatefulSetOrdinals { Start = 2 };
            s.RevisionHistoryLimit = 2;
        });

        Assert.Empty(errors);
    }
}
