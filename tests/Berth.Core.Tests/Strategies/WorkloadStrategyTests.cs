using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Core.Tests.Strategies;

public sealed class WorkloadStrategyTests
{
    private static V1Deployment Deployment(Action<V1DeploymentSpec>? configure = null)
    {
        var d = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        };
        configure?.Invoke(d.Spec);
        return d;
    }

    private static IReadOnlyList<Berth.Core.Errors.FieldError> Create(V1Deployment d)
    {
        var strategy = new DeploymentStrategy();
        strategy.PrepareForCreate(d);
        strategy.Default(d);
        return strategy.Validate(d);
    }

    [Fact]
    public void Default_MinimalDeployment_AppsV1Defaults()
    {
        var d = Deployment();

        var errors = Create(d);

        Assert.Empty(errors);
        Assert.Equal(1, d.Spec.Replicas);
        Assert.Equal("RollingUpdate", d.Spec.Strategy.Type);
        Assert.Equal("25%", d.Spec.Strategy.RollingUpdate.MaxSurge.Value);
        Assert.Equal("25%", d.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
        Assert.Equal(10, d.Spec.RevisionHistoryLimit);
        Assert.Equal(600, d.Spec.ProgressDeadlineSeconds);
        Assert.Equal("Always", d.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("IfNotPresent", d.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Null(d.Spec.Template.Spec.EnableServiceLinks);
    }

    [Fact]
    public void Validate_SelectorMismatch_TemplateLabelsInvalid()
    {
        var errors = Create(Deployment(s => s.Template.Metadata.Labels["app"] = "other"));

        Assert.Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NoSelector_Required()
    {
        var errors = Create(Deployment(s => s.Selector = null));

        Assert.Equal("spec.selector: Required value", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NegativeReplicas_Invalid()
    {
        var errors = Create(Deployment(s => s.Replicas = -1));

        Assert.Equal("spec.replicas: Invalid value: -1: must be greater than or equal to 0", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_RecreateWithRollingUpdate_Forbidden()
    {
        var errors = Create(Deployment(s => s.Strategy = new V1DeploymentStrategy { Type = "Recreate", RollingUpdate = new V1RollingUpdateDeployment() }));

        Assert.Equal("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_SelectorChanged_Immutable()
    {
        var old = Deployment();
        Create(old);
        var d = Deployment(s =>
        {
            s.Selector.MatchLabels["tier"] = "front";
            s.Template.Metadata.Labels["tier"] = "front";
        });
        var strategy = new DeploymentStrategy();
        strategy.PrepareForUpdate(d, old, statusOnly: false);
        strategy.Default(d);

        var errors = strategy.ValidateUpdate(d, old);

        Assert.Equal(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"front\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Default_ReplicaSet_OneReplicaAndSelectorRules()
    {
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "default" },
            Spec = new V1ReplicaSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "db" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        };
        var strategy = new ReplicaSetStrategy();
        strategy.PrepareForCreate(rs);
        strategy.Default(rs);

        var errors = strategy.Validate(rs);

        Assert.Equal(1, rs.Spec.Replicas);
        Assert.Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"db\"}: `selector` does not match template `labels`", Assert.Single(errors).ToString());
    }
}
