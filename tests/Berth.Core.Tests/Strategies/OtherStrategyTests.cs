using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Core.Tests.Strategies;

public sealed class OtherStrategyTests
{
    [Fact]
    public void Default_Namespace_NameLabelFinalizerAndActive()
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } };
        var strategy = new NamespaceStrategy();

        strategy.PrepareForCreate(ns);
        strategy.Default(ns);
        var errors = strategy.Validate(ns);

        Assert.Empty(errors);
        Assert.Equal("team-a", ns.Metadata.Labels["kubernetes.io/metadata.name"]);
        Assert.Equal(["kubernetes"], ns.Spec.Finalizers);
        Assert.Equal("Active", ns.Status.Phase);
    }

    [Fact]
    public void Validate_NamespaceWithDots_LabelMessage()
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "team.a" } };
        var strategy = new NamespaceStrategy();
        strategy.PrepareForCreate(ns);
        strategy.Default(ns);

        var errors = strategy.Validate(ns);

        Assert.Contains("metadata.name: Invalid value: \"team.a\": must not contain dots", errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_NodeWithNamespace_Forbidden()
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node-1.example.com", NamespaceProperty = "default" } };

        var errors = new NodeStrategy().Validate(node);

        Assert.Equal("metadata.namespace: Forbidden: not allowed on this type", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_MissingName_NameOrGenerateNameRequired()
    {
        var cm = new V1ConfigMap { Metadata = new V1ObjectMeta { NamespaceProperty = "default" } };

        var errors = new ConfigMapStrategy().Validate(cm);

        Assert.Equal("metadata.name: Required value: name or generateName is required", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_ConfigMapBadKey_ConfigKeyMessage()
    {
        var cm = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["a b"] = "x" } };

        var errors = new ConfigMapStrategy().Validate(cm);

        Assert.Equal("data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_BadLabelsAndHugeAnnotations_MetadataErrors()
    {
        var cm = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "cfg",
                NamespaceProperty = "default",
                Labels = new Dictionary<string, string> { ["app"] = new string('x', 64) },
                Annotations = new Dictionary<string, string> { ["big"] = new string('x', 256 * 1024) },
            },
        };

        var errors = new ConfigMapStrategy().Validate(cm).Select(e => e.ToString()).ToList();

        Assert.Contains("metadata.labels: Invalid value: \"" + new string('x', 64) + "\": must be no more than 63 characters", errors);
        Assert.Contains("metadata.annotations: Too long: must have at most 262144 bytes", errors);
    }

    [Fact]
    public void Validate_EndpointsSubsetWithoutAddresses_Required()
    {
        var ep = new V1Endpoints { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" }, Subsets = [new V1EndpointSubset { Ports = [new Corev1EndpointPort { Port = 80 }] }] };
        var strategy = new EndpointsStrategy();
        strategy.Default(ep);

        var errors = strategy.Validate(ep);

        Assert.Equal("subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`", Assert.Single(errors).ToString());
        Assert.Equal("TCP", ep.Subsets[0].Ports[0].Protocol);
    }

    [Fact]
    public void Validate_EndpointsLoopbackAddress_AcceptedForHostModePods()
    {
        var ep = new V1Endpoints { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" }, Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "127.244.0.5" }] }] };

        var errors = new EndpointsStrategy().Validate(ep);

        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_EndpointsLinkLocalAddress_Invalid()
    {
        var ep = new V1Endpoints { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" }, Subsets = [new V1EndpointSubset { Addresses = [new V1EndpointAddress { Ip = "169.254.1.1" }] }] };

        var errors = new EndpointsStrategy().Validate(ep);

        Assert.Equal("subsets[0].addresses[0].ip: Invalid value: \"169.254.1.1\": may not be in the link-local range (169.254.0.0/16, fe80::/10)", Assert.Single(errors).ToString());
    }

    private static V1EndpointSlice Slice(string? addressType) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-abcde", NamespaceProperty = "default" },
        AddressType = addressType,
        Endpoints = [new V1Endpoint { Addresses = ["10.244.0.5"] }],
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 80, Protocol = "TCP" }],
    };

    [Fact]
    public void Validate_EndpointSliceWithoutAddressType_Required()
    {
        var errors = new EndpointSliceStrategy().Validate(Slice(null));

        Assert.Equal("addressType: Required value", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_EndpointSliceBadAddressType_Unsupported()
    {
        var errors = new EndpointSliceStrategy().Validate(Slice("IPv5"));

        Assert.Equal("addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"", Assert.Single(errors).ToString());
    }

    [Fact]
    public void ValidateUpdate_EndpointSliceAddressTypeChanged_Immutable()
    {
        var old = Slice("IPv4");
        var slice = Slice("FQDN");
        slice.Endpoints[0].Addresses = ["web.example.com"];

        var errors = new EndpointSliceStrategy().ValidateUpdate(slice, old);

        Assert.Equal("addressType: Invalid value: \"FQDN\": field is immutable", Assert.Single(errors).ToString());
    }

    [Fact]
    public void Validate_EndpointSliceDuplicatePortNameAndTooManyEndpoints_Errors()
    {
        var slice = Slice("IPv4");
        var strategy = new EndpointSliceStrategy();
        slice.Ports.Add(new Discoveryv1EndpointPort { Name = "http", Port = 81 });
        slice.Endpoints = Enumerable.Range(0, 1001).Select(_ => new V1Endpoint { Addresses = ["10.244.0.5"] }).ToList();
        strategy.Default(slice);

        var errors = strategy.Validate(slice).Select(e => e.ToString()).ToList();

        Assert.Equal(["endpoints: Too many: 1001: must have at most 1000 items", "ports[1].name: Duplicate value: \"http\""], errors);
    }

    [Fact]
    public void Validate_EventWithoutInvolvedObject_Required()
    {
        var ev = new Corev1Event { Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "default" } };

        var errors = new EventStrategy().Validate(ev);

        Assert.Equal("involvedObject: Required value", Assert.Single(errors).ToString());
    }

    [Fact]
    public void GetSelectableField_EventFields_Values()
    {
        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "web.1", NamespaceProperty = "default" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "web-0", NamespaceProperty = "default", Uid = "u1" },
            Reason = "Started",
            Source = new V1EventSource { Component = "kubelet" },
            Type = "Normal",
        };
        var strategy = new EventStrategy();

        Assert.Empty(strategy.Validate(ev));
        Assert.Equal("Pod", strategy.GetSelectableField(ev, "involvedObject.kind"));
        Assert.Equal("web-0", strategy.GetSelectableField(ev, "involvedObject.name"));
        Assert.Equal("u1", strategy.GetSelectableField(ev, "involvedObject.uid"));
        Assert.Equal("Started", strategy.GetSelectableField(ev, "reason"));
        Assert.Equal("kubelet", strategy.GetSelectableField(ev, "source"));
        Assert.Equal("Normal", strategy.GetSelectableField(ev, "type"));
    }

    [Fact]
    public void Validate_LeaseZeroDuration_Invalid()
    {
        var lease = new V1Lease { Metadata = new V1ObjectMeta { Name = "node-1", NamespaceProperty = "kube-node-lease" }, Spec = new V1LeaseSpec { LeaseDurationSeconds = 0 } };

        var errors = new LeaseStrategy().Validate(lease);

        Assert.Equal("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0", Assert.Single(errors).ToString());
    }
}
