using Berth.Core.Strategies;
using k8s.Models;
using static Berth.Core.Tests.Strategies.ServiceFixtures;

namespace Berth.Core.Tests.Strategies;

public sealed class ServiceStrategyUpdateTests
{
    [Fact]
    public void ValidateUpdate_ChangedClusterIP_MayNotChange()
    {
        var old = Stored(s => s.ClusterIP = "10.96.0.10");
        var svc = Copy(old);
        svc.Spec.ClusterIP = "10.96.5.5";
        svc.Spec.ClusterIPs = ["10.96.5.5"];

        var errors = Update(svc, old);

        Assert.Equal("spec.clusterIPs[0]: Invalid value: []string{\"10.96.5.5\"}: may not change once set", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_PrimaryClusterIPDropped_CanNotBeUnset()
    {
        var old = Stored(s => s.ClusterIP = "10.96.0.10");
        var svc = Copy(old);
        svc.Spec.ClusterIP = null;
        svc.Spec.ClusterIPs = null;

        var errors = ServiceValidation.ValidateUpdate(svc, old, ServiceNetworkOptions.SingleStackIPv4);

        Assert.Contains("spec.clusterIPs[0]: Invalid value: []string(nil): primary clusterIP can not be unset", Render(errors));
    }

    [Fact]
    public void PrepareForUpdate_ClientOmitsClusterIP_KeepsAllocatedValue()
    {
        var old = Stored(s => s.ClusterIP = "10.96.0.10");
        var svc = Service();

        var errors = Update(svc, old);

        Assert.Empty(errors);
        Assert.Equal("10.96.0.10", svc.Spec.ClusterIP);
        Assert.Equal(["10.96.0.10"], svc.Spec.ClusterIPs);
    }

    [Fact]
    public void ValidateUpdate_HeadlessToClusterIP_MayNotChange()
    {
        var old = Stored(s => s.ClusterIP = "None");
        var svc = Copy(old);
        svc.Spec.ClusterIP = "10.96.0.10";
        svc.Spec.ClusterIPs = ["10.96.0.10"];

        var errors = Update(svc, old);

        Assert.Equal("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.10\"}: may not change once set", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_ChangedLoadBalancerClass_MayNotChange()
    {
        var old = Stored(s =>
        {
            s.Type = "LoadBalancer";
            s.ClusterIP = "10.96.0.10";
            s.LoadBalancerClass = "example.com/a";
            s.Ports[0].NodePort = 30080;
        });
        var svc = Copy(old);
        svc.Spec.LoadBalancerClass = "example.com/b";

        var errors = Update(svc, old);

        Assert.Equal("spec.loadBalancerClass: Invalid value: \"example.com/b\": may not change once set", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_ChangedHealthCheckNodePortWhileNeeded_Immutable()
    {
        var old = Stored(s =>
        {
            s.Type = "LoadBalancer";
            s.ClusterIP = "10.96.0.10";
            s.ExternalTrafficPolicy = "Local";
            s.HealthCheckNodePort = 30001;
            s.Ports[0].NodePort = 30080;
        });
        var svc = Copy(old);
        svc.Spec.HealthCheckNodePort = 30002;

        var errors = Update(svc, old);

        Assert.Equal("spec.healthCheckNodePort: Forbidden: field is immutable", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_ChangedName_FieldIsImmutable()
    {
        var old = Stored(s => s.ClusterIP = "10.96.0.10");
        var svc = Copy(old);
        svc.Metadata.Name = "other";

        var errors = Update(svc, old);

        Assert.Equal("metadata.name: Invalid value: \"other\": field is immutable", Assert.Single(errors).ToString());
    }

    [Fact]
    public void PrepareForUpdate_SpecUpdate_KeepsOldStatusAndCreationTimestamp()
    {
        var created = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var old = Stored(s =>
        {
            s.Type = "LoadBalancer";
            s.ClusterIP = "10.96.0.10";
            s.Ports[0].NodePort = 30080;
        });
        old.Metadata.CreationTimestamp = created;
        old.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.0.2.1", IpMode = "VIP" }] } };
        var svc = Copy(old);
        svc.Status = null;
        svc.Metadata.CreationTimestamp = null;

        Update(svc, old);

        Assert.Equal("192.0.2.1", svc.Status!.LoadBalancer.Ingress[0].Ip);
        Assert.Equal(created, svc.Metadata.CreationTimestamp);
    }

    [Fact]
    public void PrepareForUpdate_StatusOnly_KeepsOldSpecAndDefaultsIPMode()
    {
        var old = Stored(s =>
        {
            s.Type = "LoadBalancer";
            s.ClusterIP = "10.96.0.10";
            s.Ports[0].NodePort = 30080;
        });
        var svc = Copy(old);
        svc.Spec.Type = "ClusterIP";
        svc.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.0.2.1" }] } };

        var errors = Update(svc, old, statusOnly: true);

        Assert.Empty(errors);
        Assert.Equal("LoadBalancer", svc.Spec.Type);
        Assert.Equal("VIP", svc.Status.LoadBalancer.Ingress[0].IpMode);
    }

    [Fact]
    public void PrepareForUpdate_LoadBalancerToClusterIP_WipesUnchangedTypeFieldsAndLBStatus()
    {
        var old = Stored(s =>
        {
            s.Type = "LoadBalancer";
            s.ClusterIP = "10.96.0.10";
            s.LoadBalancerClass = "example.com/lb";
            s.Ports[0].NodePort = 30080;
        });
        old.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "192.0.2.1", IpMode = "VIP" }] } };
        var svc = Copy(old);
        svc.Spec.Type = "ClusterIP";

        var errors = Update(svc, old);

        Assert.Empty(errors);
        Assert.Null(svc.Spec.Ports[0].NodePort);
        Assert.Null(svc.Spec.ExternalTrafficPolicy);
        Assert.Null(svc.Spec.AllocateLoadBalancerNodePorts);
        Assert.Null(svc.Spec.LoadBalancerClass);
        Assert.Empty(svc.Status!.LoadBalancer.Ingress ?? []);
    }

    [Fact]
    public void PrepareForUpdate_ClusterIPToExternalName_ClearsIPFields()
    {
        var old = Stored(s => s.ClusterIP = "10.96.0.10");
        var svc = Copy(old);
        svc.Spec.Type = "ExternalName";
        svc.Spec.ExternalName = "db.example.com";

        var errors = Update(svc, old);

        Assert.Empty(errors);
        Assert.Null(svc.Spec.ClusterIP);
        Assert.Null(svc.Spec.ClusterIPs);
        Assert.Null(svc.Spec.IpFamilies);
        Assert.Null(svc.Spec.IpFamilyPolicy);
    }

    [Fact]
    public void PrepareForUpdate_NodePortToClusterIPWithChangedNodePort_KeepsItAndFails()
    {
        var old = Stored(s =>
        {
            s.Type = "NodePort";
            s.ClusterIP = "10.96.0.10";
            s.Ports[0].NodePort = 30080;
        });
        var svc = Copy(old);
        svc.Spec.Type = "ClusterIP";
        svc.Spec.Ports[0].NodePort = 30099;

        var errors = Update(svc, old);

        Assert.Equal("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", Assert.Single(errors).ToString());
    }
}
