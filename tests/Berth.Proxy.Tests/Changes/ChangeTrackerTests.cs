using Berth.Proxy.Changes;
using k8s.Models;

namespace Berth.Proxy.Tests.Changes;

/// <summary>Handlers record a change only when what the proxy uses changed (kube-proxy's change trackers).</summary>
public sealed class ChangeTrackerTests
{
    [Fact]
    public void ServiceUpdate_NothingTheProxyUsesChanged_RecordsNothing()
    {
        var tracker = new ServiceChangeTracker();
        var service = Service();
        tracker.Update(service);
        tracker.TakeChanges();
        var relabelled = Service();
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["team"] = "web" };
        relabelled.Metadata.ResourceVersion = "2";

        var resync = tracker.Update(service);
        var irrelevant = tracker.Update(relabelled);

        Assert.False(resync);
        Assert.False(irrelevant);
        Assert.Empty(tracker.TakeChanges());
    }

    [Fact]
    public void ServiceUpdate_PortChanged_RecordsTheService()
    {
        var tracker = new ServiceChangeTracker();
        tracker.Update(Service());
        tracker.TakeChanges();
        var changed = Service();
        changed.Spec.Ports[0].Port = 81;

        var recorded = tracker.Update(changed);

        Assert.True(recorded);
        Assert.Equal(["default/web"], tracker.TakeChanges());
        Assert.Equal(81, tracker.Get("default/web")!.Ports[0].Port);
    }

    [Fact]
    public void ServiceDelete_KnownService_RecordsItAndForgetsIt()
    {
        var tracker = new ServiceChangeTracker();
        tracker.Update(Service());
        tracker.TakeChanges();

        var recorded = tracker.Delete(Service());

        Assert.True(recorded);
        Assert.Equal(["default/web"], tracker.TakeChanges());
        Assert.Null(tracker.Get("default/web"));
    }

    [Fact]
    public void SliceUpdate_SameEndpoints_RecordsNothing()
    {
        var tracker = new EndpointSliceChangeTracker(DateTimeOffset.UnixEpoch);
        tracker.Update(Slice("web-a", "web", "10.0.0.1"));
        tracker.TakeChanges();
        var rewritten = Slice("web-a", "web", "10.0.0.1");
        rewritten.Metadata.ResourceVersion = "9";

        var recorded = tracker.Update(rewritten);

        Assert.False(recorded);
        Assert.Empty(tracker.TakeChanges().Services);
    }

    [Fact]
    public void SliceUpdate_EndpointChanged_RecordsItsServiceAndTriggerTime()
    {
        var tracker = new EndpointSliceChangeTracker(DateTimeOffset.UnixEpoch);
        tracker.Update(Slice("web-a", "web", "10.0.0.1"));
        tracker.TakeChanges();
        var changed = Slice("web-a", "web", "10.0.0.2");
        changed.Metadata.Annotations = new Dictionary<string, string> { [SliceParser.TriggerTimeAnnotation] = "2025-01-01T00:00:01Z" };

        tracker.Update(changed);
        var (services, triggers) = tracker.TakeChanges();

        Assert.Equal(["default/web"], services);
        Assert.Equal([new DateTimeOffset(2025, 1, 1, 0, 0, 1, TimeSpan.Zero)], triggers);
        Assert.Equal("10.0.0.2", tracker.SlicesOf("default/web").Single().Endpoints[0].Address.ToString());
    }

    [Fact]
    public void SliceUpdate_MovedToAnotherService_RecordsBoth()
    {
        var tracker = new EndpointSliceChangeTracker(DateTimeOffset.UnixEpoch);
        tracker.Update(Slice("shared", "web", "10.0.0.1"));
        tracker.TakeChanges();

        tracker.Update(Slice("shared", "api", "10.0.0.1"));

        Assert.Equal(["default/api", "default/web"], tracker.TakeChanges().Services.Order());
        Assert.Empty(tracker.SlicesOf("default/web"));
        Assert.Single(tracker.SlicesOf("default/api"));
    }

    [Fact]
    public void SliceDelete_LastSlice_LeavesTheServiceWithout()
    {
        var tracker = new EndpointSliceChangeTracker(DateTimeOffset.UnixEpoch);
        tracker.Update(Slice("web-a", "web", "10.0.0.1"));
        tracker.TakeChanges();

        var recorded = tracker.Delete(Slice("web-a", "web", "10.0.0.1"));

        Assert.True(recorded);
        Assert.Empty(tracker.SlicesOf("default/web"));
        Assert.DoesNotContain("default/web", tracker.ServiceKeys());
    }

    private static V1Service Service() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "u1", ResourceVersion = "1" },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = "10.96.0.10",
            ClusterIPs = ["10.96.0.10"],
            Ports = [new V1ServicePort { Name = "http", Protocol = "TCP", Port = 80, TargetPort = 8080 }],
        },
        Status = new V1ServiceStatus(),
    };

    private static V1EndpointSlice Slice(string name, string service, string address) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Labels = new Dictionary<string, string> { [SliceParser.ServiceNameLabel] = service },
            ResourceVersion = "1",
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "http", Protocol = "TCP", Port = 8080 }],
        Endpoints = [new V1Endpoint { Addresses = [address], Conditions = new V1EndpointConditions { Ready = true } }],
    };
}
