using Berth.Core.Errors;
using Berth.Core.Strategies;
using k8s.Models;
using static Berth.Core.Tests.Strategies.ServiceFixtures;

namespace Berth.Core.Tests.Strategies;

public sealed class ServiceStrategyDefaultsTests
{
    [Fact]
    public void Default_MinimalService_AppliesUpstreamDefaults()
    {
        var svc = Service();

        var errors = Create(svc);

        Assert.Empty(errors);
        Assert.Equal("ClusterIP", svc.Spec.Type);
        Assert.Equal("None", svc.Spec.SessionAffinity);
        Assert.Equal("TCP", svc.Spec.Ports[0].Protocol);
        Assert.Equal("80", svc.Spec.Ports[0].TargetPort.Value);
        Assert.Equal("Cluster", svc.Spec.InternalTrafficPolicy);
        Assert.Null(svc.Spec.ExternalTrafficPolicy);
        Assert.Null(svc.Spec.AllocateLoadBalancerNodePorts);
        Assert.Equal("SingleStack", svc.Spec.IpFamilyPolicy);
        Assert.Equal(["IPv4"], svc.Spec.IpFamilies);
    }

    [Fact]
    public void Default_ClientIPAffinity_Timeout10800()
    {
        var svc = Service(s => s.SessionAffinity = "ClientIP");

        Create(svc);

        Assert.Equal(10800, svc.Spec.SessionAffinityConfig.ClientIP.TimeoutSeconds);
    }

    [Fact]
    public void Default_NoneAffinity_ClearsConfig()
    {
        var svc = Service(s => s.SessionAffinityConfig = new V1SessionAffinityConfig { ClientIP = new V1ClientIPConfig { TimeoutSeconds = 5 } });

        Create(svc);

        Assert.Null(svc.Spec.SessionAffinityConfig);
    }

    [Fact]
    public void Default_LoadBalancer_ExternalPolicyClusterAndAllocateNodePorts()
    {
        var svc = Service(s => s.Type = "LoadBalancer");

        Create(svc);

        Assert.Equal("Cluster", svc.Spec.ExternalTrafficPolicy);
        Assert.True(svc.Spec.AllocateLoadBalancerNodePorts);
    }

    [Fact]
    public void Default_ClusterIPWithExternalIPs_ExternalPolicyCluster()
    {
        var svc = Service(s => s.ExternalIPs = ["192.0.2.10"]);

        Create(svc);

        Assert.Equal("Cluster", svc.Spec.ExternalTrafficPolicy);
    }

    [Fact]
    public void Default_ExternalName_NoInternalPolicyNoFamilies()
    {
        var svc = Service(s =>
        {
            s.Type = "ExternalName";
            s.ExternalName = "db.example.com";
        });

        Create(svc);

        Assert.Null(svc.Spec.InternalTrafficPolicy);
        Assert.Null(svc.Spec.IpFamilies);
        Assert.Null(svc.Spec.IpFamilyPolicy);
    }

    [Fact]
    public void Default_NamedTargetPortKept_EmptyTargetPortBecomesPort()
    {
        var svc = Service(s => s.Ports = [new V1ServicePort { Name = "a", Port = 80, TargetPort = "http" }, new V1ServicePort { Name = "b", Port = 81, TargetPort = "" }]);

        Create(svc);

        Assert.Equal("http", svc.Spec.Ports[0].TargetPort.Value);
        Assert.Equal("81", svc.Spec.Ports[1].TargetPort.Value);
    }

    [Fact]
    public void PrepareForCreate_ClusterIPOnly_ClusterIPsFilled()
    {
        var svc = Service(s => s.ClusterIP = "10.96.0.10");

        Create(svc);

        Assert.Equal(["10.96.0.10"], svc.Spec.ClusterIPs);
    }

    [Fact]
    public void PrepareForCreate_StatusSet_Reset()
    {
        var svc = Service();
        svc.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.0.2.1" }] } };

        Create(svc);

        Assert.Null(svc.Status.LoadBalancer);
    }

    [Fact]
    public void Default_DualStackCluster_PreferDualStackGetsBothFamilies()
    {
        var strategy = new ServiceStrategy(new ServiceNetworkOptions { IPFamilies = ["IPv4", "IPv6"] });
        var svc = Service(s => s.IpFamilyPolicy = "PreferDualStack");

        strategy.PrepareForCreate(svc);
        strategy.Default(svc);

        Assert.Equal(["IPv4", "IPv6"], svc.Spec.IpFamilies);
        Assert.Empty(strategy.Validate(svc));
    }

    [Fact]
    public void AllowCreateOnUpdate_Service_TrueAndUnconditionalUpdateTrue()
    {
        var strategy = new ServiceStrategy();

        Assert.True(strategy.AllowCreateOnUpdate);
        Assert.True(strategy.AllowUnconditionalUpdate);
    }

    [Fact]
    public void GetSelectableField_ClusterIPAndType_Values()
    {
        var svc = Service(s => s.ClusterIP = "10.96.0.10");
        var strategy = new ServiceStrategy();
        Create(svc);

        Assert.Equal("10.96.0.10", strategy.GetSelectableField(svc, "spec.clusterIP"));
        Assert.Equal("ClusterIP", strategy.GetSelectableField(svc, "spec.type"));
        Assert.Null(strategy.GetSelectableField(svc, "spec.ports"));
    }

    [Fact]
    public void Invalid_MultiErrorService_AggregatedMessageAndOneCausePerField()
    {
        var svc = Service(s =>
        {
            s.Type = "Foo";
            s.Ports[0].Protocol = "ICMP";
        }, name: "My_Svc");
        var errors = Create(svc);

        var status = StatusErrors.Invalid("", "Service", "My_Svc", errors).Status;

        Assert.Equal(422, status.Code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Service \"My_Svc\" is invalid: [" + string.Join(", ", errors.Select(e => e.ToString())) + "]", status.Message);
        Assert.Equal(3, errors.Count);
        Assert.Equal(["metadata.name", "spec.ports[0].protocol", "spec.type"], status.Details.Causes.Select(c => c.Field));
        Assert.Equal(["FieldValueInvalid", "FieldValueNotSupported", "FieldValueNotSupported"], status.Details.Causes.Select(c => c.Reason));
    }
}
