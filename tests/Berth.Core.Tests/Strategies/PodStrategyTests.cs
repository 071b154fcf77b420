using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Core.Tests.Strategies;

public sealed class PodStrategyTests
{
    private static V1Pod Pod(Action<V1PodSpec>? configure = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = "default" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx", Ports = [new V1ContainerPort { ContainerPort = 80 }] }] },
        };
        configure?.Invoke(pod.Spec);
        return pod;
    }

    private static IReadOnlyList<Berth.Core.Errors.FieldError> Create(V1Pod pod)
    {
        var strategy = new PodStrategy();
        strategy.PrepareForCreate(pod);
        strategy.Default(pod);
        return strategy.Validate(pod);
    }

    [Fact]
    public void Default_MinimalPod_KubectlVisibleDefaults()
    {
        var pod = Pod(s => s.Containers[0].LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 80 } });

        var errors = Create(pod);

        Assert.Empty(errors);
        var spec = pod.Spec;
        Assert.Equal("Always", spec.RestartPolicy);
        Assert.Equal("ClusterFirst", spec.DnsPolicy);
        Assert.True(spec.EnableServiceLinks);
        Assert.Equal(30, spec.TerminationGracePeriodSeconds);
        Assert.Equal("default-scheduler", spec.SchedulerName);
        Assert.NotNull(spec.SecurityContext);
        var c = spec.Containers[0];
        Assert.Equal("Always", c.ImagePullPolicy);
        Assert.Equal("/dev/termination-log", c.TerminationMessagePath);
        Assert.Equal("File", c.TerminationMessagePolicy);
        Assert.Equal("TCP", c.Ports[0].Protocol);
        Assert.Equal((1, 10, 1, 3), (c.LivenessProbe.TimeoutSeconds, c.LivenessProbe.PeriodSeconds, c.LivenessProbe.SuccessThreshold, c.LivenessProbe.FailureThreshold));
        Assert.Equal("HTTP", c.LivenessProbe.HttpGet.Scheme);
        Assert.Equal("Pending", pod.Status.Phase);
        Assert.Equal("BestEffort", pod.Status.QosClass);
    }

    [Theory]
    [InlineData("nginx", "Always")]
    [InlineData("nginx:latest", "Always")]
    [InlineData("nginx:1.27", "IfNotPresent")]
    [InlineData("registry:5000/team/app", "Always")]
    [InlineData("registry:5000/team/app:v2", "IfNotPresent")]
    [InlineData("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "IfNotPresent")]
    public void Default_ImageTag_PullPolicy(string image, string expected)
    {
        var pod = Pod(s => s.Containers[0].Image = image);

        Create(pod);

        Assert.Equal(expected, pod.Spec.Containers[0].ImagePullPolicy);
    }

    [Fact]
    public void Validate_NoContainers_Required()
    {
        var errors = Create(Pod(s => s.Containers = []));

        Assert.Equal("spec.containers: Required value", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NoImage_Required()
    {
        var errors = Create(Pod(s => s.Containers[0].Image = null));

        Assert.Equal("spec.containers[0].image: Required value", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_DuplicateContainerName_Duplicate()
    {
        var errors = Create(Pod(s => s.Containers.Add(new V1Container { Name = "web", Image = "busybox:1" })));

        Assert.Equal("spec.containers[1].name: Duplicate value: \"web\"", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_ContainerPortOutOfRange_Invalid()
    {
        var errors = Create(Pod(s => s.Containers[0].Ports[0].ContainerPort = 70000));

        Assert.Equal("spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_BadRestartPolicy_Unsupported()
    {
        var errors = Create(Pod(s => s.RestartPolicy = "Sometimes"));

        Assert.Equal("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_ImageChange_Allowed()
    {
        var old = Pod();
        Create(old);
        var pod = Pod();
        pod.Spec.Containers[0].Image = "nginx:1.27";
        var strategy = new PodStrategy();
        strategy.PrepareForUpdate(pod, old, statusOnly: false);
        strategy.Default(pod);
        pod.Spec.Containers[0].ImagePullPolicy = old.Spec.Containers[0].ImagePullPolicy;

        var errors = strategy.ValidateUpdate(pod, old);

        Assert.Empty(errors);
    }

    [Fact]
    public void ValidateUpdate_PortChange_Forbidden()
    {
        var old = Pod();
        Create(old);
        var pod = Pod();
        pod.Spec.Containers[0].Ports[0].ContainerPort = 81;
        var strategy = new PodStrategy();
        strategy.PrepareForUpdate(pod, old, statusOnly: false);
        strategy.Default(pod);

        var errors = strategy.ValidateUpdate(pod, old);

        Assert.Equal("spec: Forbidden: " + PodValidation.UpdateForbidden, Assert.Single(errors).ToString());
        Assert.StartsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`", errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PrepareForUpdate_StatusOnly_KeepsOldSpec()
    {
        var old = Pod();
        Create(old);
        var pod = Pod(s => s.NodeName = "node-1");
        pod.Status = new V1PodStatus { Phase = "Running", PodIP = "10.244.0.5" };

        new PodStrategy().PrepareForUpdate(pod, old, statusOnly: true);

        Assert.Null(pod.Spec.NodeName);
        Assert.Equal("Running", pod.Status.Phase);
    }

    [Fact]
    public void GetSelectableField_PodFields_Values()
    {
        var pod = Pod(s => s.NodeName = "node-1");
        Create(pod);
        pod.Status.PodIP = "10.244.0.5";
        var strategy = new PodStrategy();

        Assert.Equal("node-1", strategy.GetSelectableField(pod, "spec.nodeName"));
        Assert.Equal("Always", strategy.GetSelectableField(pod, "spec.restartPolicy"));
        Assert.Equal("default-scheduler", strategy.GetSelectableField(pod, "spec.schedulerName"));
        Assert.Equal("", strategy.GetSelectableField(pod, "spec.serviceAccountName"));
        Assert.Equal("Pending", strategy.GetSelectableField(pod, "status.phase"));
        Assert.Equal("10.244.0.5", strategy.GetSelectableField(pod, "status.podIP"));
        Assert.Equal("", strategy.GetSelectableField(pod, "status.nominatedNodeName"));
    }
}
