using k8s.Models;
using static Berth.Core.Tests.Strategies.ServiceFixtures;

namespace Berth.Core.Tests.Strategies;

/// <summary>One test per non-allocator row of the §2.2 error catalogue (docs/kubernetes-services.md).</summary>
public sealed class ServiceStrategyCatalogueTests
{
    private const string Dns1123Label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [Fact]
    public void Validate_BadName_DNS1035Message()
    {
        var errors = Create(Service(name: "My_Svc"));

        Assert.Equal(
            "metadata.name: Invalid value: \"My_Svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NameLongerThan63_MaxLengthMessage()
    {
        var name = new string('a', 64);

        var errors = Create(Service(name: name));

        Assert.Equal("metadata.name: Invalid value: \"" + name + "\": must be no more than 63 characters", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NoPorts_PortsRequired()
    {
        var errors = Create(Service(s => s.Ports = []));

        Assert.Equal("spec.ports: Required value", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_TwoUnnamedPorts_OneRequiredPerPort()
    {
        var errors = Create(Service(s => s.Ports = [new V1ServicePort { Port = 80 }, new V1ServicePort { Port = 443 }]));

        Assert.Equal(["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"], Render(errors));
    }

    [Fact]
    public void Validate_BadPortName_DNS1123LabelMessage()
    {
        var errors = Create(Service(s => s.Ports[0].Name = "Http"));

        Assert.Equal("spec.ports[0].name: Invalid value: \"Http\": " + Dns1123Label, Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_DuplicatePortName_Duplicate()
    {
        var errors = Create(Service(s => s.Ports = [new V1ServicePort { Name = "http", Port = 80 }, new V1ServicePort { Name = "http", Port = 81 }]));

        Assert.Equal("spec.ports[1].name: Duplicate value: \"http\"", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_DuplicateProtocolAndPort_GoStructRendered()
    {
        var errors = Create(Service(s => s.Ports = [new V1ServicePort { Name = "a", Port = 80 }, new V1ServicePort { Name = "b", Port = 80, TargetPort = 8080 }]));

        Assert.Equal(
            "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_SameNumberDifferentProtocols_Valid()
    {
        var errors = Create(Service(s => s.Ports = [new V1ServicePort { Name = "dns", Port = 53 }, new V1ServicePort { Name = "dns-udp", Port = 53, Protocol = "UDP" }]));

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_PortZero_RangeMessage()
    {
        var errors = Create(Service(s => s.Ports[0] = new V1ServicePort { Port = 0, TargetPort = 8080 }));

        Assert.Equal("spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("http_web", "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")]
    [InlineData("a-very-long-port-name", "must be no more than 15 characters")]
    [InlineData("8080a-", "must not begin or end with a hyphen")]
    [InlineData("web--x", "must not contain consecutive hyphens")]
    public void Validate_BadTargetPortName_PortNameMessage(string name, string message)
    {
        var errors = Create(Service(s => s.Ports[0].TargetPort = name));

        Assert.Contains("spec.ports[0].targetPort: Invalid value: \"" + name + "\": " + message, Render(errors));
    }

    [Fact]
    public void Validate_TargetPortNumberOutOfRange_RangeMessage()
    {
        var errors = Create(Service(s => s.Ports[0].TargetPort = 70000));

        Assert.Equal("spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_BadProtocol_Unsupported()
    {
        var errors = Create(Service(s => s.Ports[0].Protocol = "ICMP"));

        Assert.Equal("spec.ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NodePortOnClusterIP_Forbidden()
    {
        var errors = Create(Service(s => s.Ports[0].NodePort = 30080));

        Assert.Equal("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_DuplicateNodePortSameProtocol_Duplicate()
    {
        var errors = Create(Service(s =>
        {
            s.Type = "NodePort";
            s.Ports = [new V1ServicePort { Name = "a", Port = 80, NodePort = 30080 }, new V1ServicePort { Name = "b", Port = 81, NodePort = 30080 }];
        }));

        Assert.Equal("spec.ports[1].nodePort: Duplicate value: 30080", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_BadClusterIPLiteral_InvalidIP()
    {
        var errors = Create(Service(s => s.ClusterIP = "10.0.0.300"));

        Assert.Equal("spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_ClusterIPDiffersFromClusterIPs0_FirstValueMustMatch()
    {
        var errors = Create(Service(s =>
        {
            s.ClusterIP = "10.0.0.5";
            s.ClusterIPs = ["10.0.0.6"];
        }));

        Assert.Equal("spec.clusterIPs: Invalid value: []string{\"10.0.0.6\"}: first value must match `clusterIP`", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_ThreeClusterIPs_AtMostTwo()
    {
        var errors = Create(Service(s =>
        {
            s.ClusterIP = "10.0.0.5";
            s.ClusterIPs = ["10.0.0.5", "fd00::5", "10.0.0.6"];
        }));

        Assert.Contains("spec.clusterIPs: Invalid value: []string{\"10.0.0.5\", \"fd00::5\", \"10.0.0.6\"}: may only hold up to 2 values", Render(errors));
    }

    [Fact]
    public void Validate_TwoClusterIPsSameFamily_OnePerFamily()
    {
        var errors = Create(Service(s =>
        {
            s.ClusterIP = "10.0.0.5";
            s.ClusterIPs = ["10.0.0.5", "10.0.0.6"];
        }));

        Assert.Equal("spec.clusterIPs: Invalid value: []string{\"10.0.0.5\", \"10.0.0.6\"}: may specify no more than one IP for each IP family", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_NoneNotAlone_FirstAndOnly()
    {
        var errors = Create(Service(s =>
        {
            s.ClusterIP = "None";
            s.ClusterIPs = ["None", "10.0.0.5"];
        }));

        Assert.Equal("spec.clusterIPs: Invalid value: []string{\"None\", \"10.0.0.5\"}: 'None' must be the first and only value", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("NodePort")]
    [InlineData("LoadBalancer")]
    public void Validate_HeadlessWithExternalType_MayNotBeNone(string type)
    {
        var errors = Create(Service(s =>
        {
            s.Type = type;
            s.ClusterIP = "None";
            s.Ports[0].NodePort = 30080;
        }));

        Assert.Contains("spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for " + type + " services", Render(errors));
    }

    [Fact]
    public void Validate_ExternalNameWithoutName_Required()
    {
        var errors = Create(Service(s => s.Type = "ExternalName"));

        Assert.Equal("spec.externalName: Required value", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_ExternalNameBadName_SubdomainMessage()
    {
        var errors = Create(Service(s =>
        {
            s.Type = "ExternalName";
            s.ExternalName = "a_b.";
        }));

        Assert.Equal(
            "spec.externalName: Invalid value: \"a_b\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_ExternalNameWithTrailingDot_Valid()
    {
        var errors = Create(Service(s =>
        {
            s.Type = "ExternalName";
            s.ExternalName = "db.example.com.";
        }));

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_ExternalNameWithIPFields_ForbiddenEach()
    {
        var errors = Create(Service(s =>
        {
            s.Type = "ExternalName";
            s.ExternalName = "db.example.com";
            s.ClusterIP = "10.0.0.5";
            s.IpFamilies = ["IPv4"];
            s.IpFamilyPolicy = "SingleStack";
        }));

        Assert.Equal(
            [
                "spec.clusterIPs: Forbidden: may not be set for ExternalName services",
                "spec.ipFamilies: Forbidden: may not be set for ExternalName services",
                "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services",
            ],
            Render(errors));
    }

    [Fact]
    public void Validate_BadSelectorKeyAndValue_QualifiedNameAndLabelValueMessages()
    {
        var errors = Create(Service(s => s.Selector = new Dictionary<string, string> { ["bad key"] = "bad value" }));

        Assert.Equal(
            [
                "spec.selector: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "spec.selector: Invalid value: \"bad value\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            ],
            Render(errors));
    }

    [Fact]
    public void Validate_BadType_Unsupported()
    {
        var errors = Create(Service(s => s.Type = "Foo"));

        Assert.Equal("spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_BadSessionAffinity_Unsupported()
    {
        var errors = Create(Service(s => s.SessionAffinity = "Sticky"));

        Assert.Equal("spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_AffinityTimeoutZero_RangeMessage()
    {
        var errors = Create(Service(s =>
        {
            s.SessionAffinity = "ClientIP";
            s.SessionAffinityConfig = new V1SessionAffinityConfig { ClientIP = new V1ClientIPConfig { TimeoutSeconds = 0 } };
        }));

        Assert.Equal("spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_ExternalTrafficPolicyOnInternalService_Invalid()
    {
        var errors = Create(Service(s => s.ExternalTrafficPolicy = "Local"));

        Assert.Equal("spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_HealthCheckNodePortWithoutLocalLB_Invalid()
    {
        var errors = Create(Service(s =>
        {
            s.Type = "NodePort";
            s.HealthCheckNodePort = 30001;
        }));

        Assert.Equal("spec.healthCheckNodePort: Invalid value: 30001: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_SourceRangesOnClusterIP_ForbiddenWithCapitalL()
    {
        var errors = Create(Service(s => s.LoadBalancerSourceRanges = ["10.0.0.0/8"]));

        Assert.Equal("spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_AllocateLoadBalancerNodePortsOnNodePort_Forbidden()
    {
        var errors = Create(Service(s =>
        {
            s.Type = "NodePort";
            s.AllocateLoadBalancerNodePorts = false;
        }));

        Assert.Equal("spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_LoadBalancerClassOnClusterIP_Forbidden()
    {
        var errors = Create(Service(s => s.LoadBalancerClass = "example.com/lb"));

        Assert.Equal("spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("abc", "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    [InlineData("0.0.0.0", "may not be unspecified (0.0.0.0)")]
    [InlineData("127.0.0.1", "may not be in the loopback range (127.0.0.0/8, ::1/128)")]
    [InlineData("169.254.1.1", "may not be in the link-local range (169.254.0.0/16, fe80::/10)")]
    [InlineData("224.0.0.1", "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")]
    public void Validate_BadExternalIP_Invalid(string ip, string message)
    {
        var errors = Create(Service(s => s.ExternalIPs = [ip]));

        Assert.Equal("spec.externalIPs[0]: Invalid value: \"" + ip + "\": " + message, Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_FamilyNotConfigured_IPFamiliesInvalid()
    {
        var errors = Create(Service(s => s.IpFamilies = ["IPv6"]));

        Assert.Equal("spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_RequireDualStackOnSingleStackCluster_NotConfigured()
    {
        var errors = Create(Service(s => s.IpFamilyPolicy = "RequireDualStack"));

        Assert.Equal("spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_SingleStackWithTwoClusterIPs_MustBeDualStackPolicy()
    {
        var errors = Create(Service(s =>
        {
            s.ClusterIP = "10.0.0.5";
            s.ClusterIPs = ["10.0.0.5", "fd00::5"];
            s.IpFamilyPolicy = "SingleStack";
        }));

        Assert.Contains("spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified", Render(errors));
    }

    [Fact]
    public void Validate_HeadlessWithoutSelectorOnSingleStack_ValidWithBothFamilies()
    {
        var svc = Service(s =>
        {
            s.ClusterIP = "None";
            s.Selector = null;
        });

        var errors = Create(svc);

        Assert.Empty(errors);
        Assert.Equal("RequireDualStack", svc.Spec.IpFamilyPolicy);
        Assert.Equal(["IPv4", "IPv6"], svc.Spec.IpFamilies);
    }
}
