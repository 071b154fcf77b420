using Berth.Core.Errors;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Core.Tests.Strategies;

public sealed class ReplicationControllerStrategyTests
{
    private static V1ReplicationController Controller(Action<V1ReplicationControllerSpec>? configure = null)
    {
        var rc = new V1ReplicationController
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1ReplicationControllerSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.27" }] },
                },
            },
        };
        configure?.Invoke(rc.Spec);
        return rc;
    }

    private static IReadOnlyList<FieldError> Create(V1ReplicationController rc)
    {
        var strategy = new ReplicationControllerStrategy();
        strategy.PrepareForCreate(rc);
        strategy.Default(rc);
        return strategy.Validate(rc);
    }

    [Fact]
    public void Default_NoSelector_SelectorLabelsAndReplicasFromTemplate()
    {
        var rc = Controller();

        var errors = Create(rc);

        Assert.Empty(errors);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, rc.Spec.Selector);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, rc.Metadata.Labels);
        Assert.Equal(1, rc.Spec.Replicas);
        Assert.Equal("Always", rc.Spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public void Validate_SelectorMismatch_TemplateLabelsInvalid()
    {
        var errors = Create(Controller(s => s.Selector = new Dictionary<string, string> { ["app"] = "other" }));

        Assert.Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NoTemplateLabelsNoSelector_SelectorRequired()
    {
        var errors = Create(Controller(s => s.Template.Metadata.Labels = null));

        Assert.Equal("spec.selector: Required value", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NegativeReplicasAndOnFailure_Invalid()
    {
        var errors = Create(Controller(s =>
        {
            s.Replicas = -1;
            s.Template.Spec.RestartPolicy = "OnFailure";
        }));

        Assert.Equal(
            [
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
            ],
            errors.Select(e => e.ToString()));
    }
}
