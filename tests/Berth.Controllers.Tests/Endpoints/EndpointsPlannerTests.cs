using Berth.Controllers.Common;
using Berth.Controllers.Endpoints;
using k8s.Models;
using static Berth.Controllers.Tests.Fixtures.Objects;

namespace Berth.Controllers.Tests.Endpoints;

public sealed class EndpointsPlannerTests
{
    private static string Render(V1Endpoints endpoints) => string.Join(" | ", endpoints.Subsets.Select(s =>
        $"ready=[{string.Join(",", (s.Addresses ?? []).Select(a => a.Ip))}] notReady=[{string.Join(",", (s.NotReadyAddresses ?? []).Select(a => a.Ip))}] ports=[{string.Join(",", (s.Ports ?? []).Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"))}]"));

    [Fact]
    public void Desired_ReadyAndNotReadyPods_SplitAddressesAndSkipTerminating()
    {
        var pods = new[] { Pod("b", "10.0.0.2", ready: false), Pod("a", "10.0.0.1"), Terminating(Pod("c", "10.0.0.3")) };

        var endpoints = EndpointsPlanner.Desired(Service(), pods, existing: null, Now);

        Assert.Equal("ready=[10.0.0.1] notReady=[10.0.0.2] ports=[http:8080/TCP]", Render(endpoints));
        Assert.Equal("web", endpoints.Metadata.Name);
        Assert.Equal("web", endpoints.Metadata.Labels["app"]);
        Assert.Equal("uid-a", endpoints.Subsets[0].Addresses[0].TargetRef.Uid);
        Assert.Equal("2025-01-01T12:00:00Z", endpoints.Metadata.Annotations["endpoints.kubernetes.io/last-change-trigger-time"]);
    }

    [Fact]
    public void Desired_PublishNotReadyAddresses_AllReadyIncludingTerminating()
    {
        var service = Service();
        service.Spec.PublishNotReadyAddresses = true;

        var endpoints = EndpointsPlanner.Desired(service, [Pod("b", "10.0.0.2", ready: false), Terminating(Pod("a", "10.0.0.1"))], null, null);

        Assert.Equal("ready=[10.0.0.1,10.0.0.2] notReady=[] ports=[http:8080/TCP]", Render(endpoints));
    }

    [Fact]
    public void Desired_NamedPortsDifferPerPod_RepackedIntoSortedSubsets()
    {
        var service = Service("web", Port("http", 80, "web"), Port("metrics", 9100, "9100"));
        var pods = new[]
        {
            Pod("c", "10.0.0.3", ports: ContainerPort("web", 9090)),
            Pod("a", "10.0.0.1", ports: ContainerPort("web", 8080)),
            Pod("b", "10.0.0.2", ready: false, ports: ContainerPort("web", 8080)),
            Pod("d", "10.0.0.4"),
        };

        var endpoints = EndpointsPlanner.Desired(service, pods, null, null);

        Assert.Equal(
            "ready=[10.0.0.1] notReady=[10.0.0.2] ports=[http:8080/TCP] | "
            + "ready=[10.0.0.3] notReady=[] ports=[http:9090/TCP] | "
            + "ready=[10.0.0.1,10.0.0.3,10.0.0.4] notReady=[10.0.0.2] ports=[metrics:9100/TCP]",
            Render(endpoints));
    }

    [Fact]
    public void Desired_HeadlessWithoutPorts_AddressesWithoutPortsAndHeadlessLabel()
    {
        var service = Service();
        service.Spec.ClusterIP = "None";
        service.Spec.Ports = [];

        var endpoints = EndpointsPlanner.Desired(service, [Pod("a", "10.0.0.1")], null, null);

        Assert.Equal("ready=[10.0.0.1] notReady=[] ports=[]", Render(endpoints));
        Assert.Equal(string.Empty, endpoints.Metadata.Labels["service.kubernetes.io/headless"]);
    }

    [Fact]
    public void Desired_OverCapacity_TruncatesNotReadyFirstAndAnnotates()
    {
        var pods = Enumerable.Range(0, 1200).Select(i => Pod($"p{i:0000}", $"10.1.{i / 250}.{i % 250 + 1}", ready: i < 900)).ToList();

        var endpoints = EndpointsPlanner.Desired(Service(), pods, null, null);
        var back = EndpointsPlanner.Desired(Service(), pods.Take(900).ToList(), endpoints, null);

        var subset = Assert.Single(endpoints.Subsets);
        Assert.Equal((900, 100), (subset.Addresses.Count, subset.NotReadyAddresses.Count));
        Assert.Equal("truncated", endpoints.Metadata.Annotations["endpoints.kubernetes.io/over-capacity"]);
        Assert.False(back.Metadata.Annotations.ContainsKey("endpoints.kubernetes.io/over-capacity"));
    }

    [Fact]
    public void Desired_ReadyAloneOverCapacity_KeepsOnly1000Ready()
    {
        var pods = Enumerable.Range(0, 1100).Select(i => Pod($"p{i:0000}", $"10.1.{i / 250}.{i % 250 + 1}", ready: i < 1050)).ToList();

        var endpoints = EndpointsPlanner.Desired(Service(), pods, null, null);

        var subset = Assert.Single(endpoints.Subsets);
        Assert.Equal(1000, subset.Addresses.Count);
        Assert.Null(subset.NotReadyAddresses);
    }

    [Fact]
    public void IsUnchanged_OnlyPodResourceVersionsAndTriggerTimeDiffer_True()
    {
        var pods = new[] { Pod("a", "10.0.0.1"), Pod("b", "10.0.0.2", ready: false) };
        var existing = EndpointsPlanner.Desired(Service(), pods, null, Now);
        existing.Metadata.ResourceVersion = "7";
        foreach (var pod in pods)
        {
            pod.Metadata.ResourceVersion = "99";
        }

        var desired = EndpointsPlanner.Desired(Service(), pods.Reverse().ToArray(), existing, Now.AddSeconds(5));

        Assert.True(EndpointsPlanner.IsUnchanged(existing, desired));
        Assert.Equal("7", desired.Metadata.ResourceVersion);
    }

    [Fact]
    public void IsUnchanged_PodBecameReadyOrLabelsChanged_False()
    {
        var existing = EndpointsPlanner.Desired(Service(), [Pod("a", "10.0.0.1", ready: false)], null, null);
        var relabelled = Service();
        relabelled.Metadata.Labels["tier"] = "front";

        var ready = EndpointsPlanner.Desired(Service(), [Pod("a", "10.0.0.1")], ObjectCopy.Clone(existing), null);
        var labelled = EndpointsPlanner.Desired(relabelled, [Pod("a", "10.0.0.1", ready: false)], ObjectCopy.Clone(existing), null);

        Assert.False(EndpointsPlanner.IsUnchanged(existing, ready));
        Assert.False(EndpointsPlanner.IsUnchanged(existing, labelled));
    }
}
