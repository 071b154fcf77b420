using Berth.Controllers.Common;
using Berth.Controllers.EndpointSlices;
using k8s.Models;
using static Berth.Controllers.Tests.Fixtures.Objects;

namespace Berth.Controllers.Tests.EndpointSlices;

public sealed class EndpointSlicePlannerTests
{
    private static readonly DateTimeOffset _trigger = new(2025, 1, 1, 11, 59, 30, 123, TimeSpan.Zero);

    private static EndpointSlicePlan Plan(V1Service service, IReadOnlyList<V1Pod> pods, IReadOnlyList<V1EndpointSlice>? existing = null, int max = 100) =>
        EndpointSlicePlanner.Plan(new EndpointSlicePlanInput
        {
            Service = service,
            Pods = pods,
            NodeZones = Zones("node-a", "node-b"),
            ExistingSlices = existing ?? [],
            MaxEndpointsPerSlice = max,
            TriggerTime = _trigger,
        });

    /// <summary>What the API server would store: created slices get names and everything a resourceVersion.</summary>
    private static List<V1EndpointSlice> Apply(IReadOnlyList<V1EndpointSlice> existing, EndpointSlicePlan plan)
    {
        var result = existing.Where(s => !plan.ToDelete.Concat(plan.ToUpdate).Any(d => d.Metadata.Name == s.Metadata.Name)).ToList();
        result.AddRange(plan.ToUpdate.Select(ObjectCopy.Clone));
        var n = existing.Count;
        foreach (var created in plan.ToCreate.Select(ObjectCopy.Clone))
        {
            created.Metadata.Name = created.Metadata.GenerateName + "s" + n++;
            created.Metadata.ResourceVersion = "1";
            result.Add(created);
        }

        return result;
    }

    private static string Render(V1Endpoint e) =>
        $"{string.Join(",", e.Addresses)} ready={e.Conditions.Ready} serving={e.Conditions.Serving} terminating={e.Conditions.Terminating} node={e.NodeName} zone={e.Zone} ref={e.TargetRef.Name}";

    private static string Ports(V1EndpointSlice s) => string.Join(",", s.Ports.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"));

    [Fact]
    public void Plan_IntTargetPort_CreatesOneSliceWithMetadata()
    {
        var service = Service();

        var plan = Plan(service, [Pod("a", "10.0.0.1"), Pod("b", "10.0.0.2", node: "node-b")]);

        var slice = Assert.Single(plan.ToCreate);
        Assert.Empty(plan.ToUpdate);
        Assert.Empty(plan.ToDelete);
        Assert.Equal("web-", slice.Metadata.GenerateName);
        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal("http:8080/TCP", Ports(slice));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["app"] = "web",
                ["kubernetes.io/service-name"] = "web",
                ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
            },
            slice.Metadata.Labels);
        var owner = Assert.Single(slice.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Service", "web", "svc-uid", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("2025-01-01T11:59:30.123Z", slice.Metadata.Annotations["endpoints.kubernetes.io/last-change-trigger-time"]);
        Assert.Equal(
            [
                "10.0.0.1 ready=True serving=True terminating=False node=node-a zone=zone-a ref=a",
                "10.0.0.2 ready=True serving=True terminating=False node=node-b zone=zone-b ref=b",
            ],
            slice.Endpoints.Select(Render));
    }

    [Fact]
    public void Plan_NamedTargetPortResolvingDifferently_CreatesOneSlicePerPortNumber()
    {
        var service = Service("web", Port("http", 80, "web"));
        var pods = new[]
        {
            Pod("a", "10.0.0.1", ports: ContainerPort("web", 8080)),
            Pod("b", "10.0.0.2", ports: ContainerPort("web", 9090)),
            Pod("c", "10.0.0.3", ports: ContainerPort("web", 8080)),
            Pod("d", "10.0.0.4", ports: ContainerPort("web", 8080, "UDP")),
        };

        var plan = Plan(service, pods);

        Assert.Equal(
            [" -> d", "http:8080/TCP -> a,c", "http:9090/TCP -> b"],
            plan.ToCreate.Select(s => $"{Ports(s)} -> {string.Join(",", s.Endpoints.Select(e => e.TargetRef.Name))}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_NamedTargetPortOnSidecarInitContainer_Resolves()
    {
        var service = Service("web", Port("http", 80, "web"));
        var pod = Pod("a", "10.0.0.1");
        pod.Spec.InitContainers = [new V1Container { Name = "proxy", RestartPolicy = "Always", Ports = [ContainerPort("web", 15000)] }];

        var plan = Plan(service, [pod]);

        Assert.Equal("http:15000/TCP", Ports(Assert.Single(plan.ToCreate)));
    }

    [Fact]
    public void Plan_TwoPorts_OneSliceWithBothPorts()
    {
        var service = Service("web", Port("http", 80, "8080"), Port("metrics", 9100, "9100"));

        var plan = Plan(service, [Pod("a", "10.0.0.1")]);

        Assert.Equal("http:8080/TCP,metrics:9100/TCP", Ports(Assert.Single(plan.ToCreate)));
    }

    [Fact]
    public void Plan_TcpAndUdpOnSamePort_OneSliceWithBothProtocols()
    {
        var service = Service("dns", Port("dns", 53, "53", "UDP"), Port("dns-tcp", 53, "53", "TCP"));

        var plan = Plan(service, [Pod("a", "10.0.0.1")]);

        Assert.Equal("dns:53/UDP,dns-tcp:53/TCP", Ports(Assert.Single(plan.ToCreate)));
    }

    [Fact]
    public void Plan_PublishNotReadyAddresses_NotReadyPodIsReady()
    {
        var service = Service();
        service.Spec.PublishNotReadyAddresses = true;

        var plan = Plan(service, [Pod("a", "10.0.0.1", ready: false)]);

        Assert.Equal("10.0.0.1 ready=True serving=False terminating=False node=node-a zone=zone-a ref=a", Render(Assert.Single(Assert.Single(plan.ToCreate).Endpoints)));
    }

    [Fact]
    public void Plan_TerminatingPods_KeptWithServingAndTerminating()
    {
        var service = Service();
        var pods = new[] { Terminating(Pod("a", "10.0.0.1")), Terminating(Pod("b", "10.0.0.2", ready: false)), Pod("c", "10.0.0.3") };
        pods[2].Status.Phase = "Succeeded";

        var plan = Plan(service, pods);

        Assert.Equal(
            [
                "10.0.0.1 ready=False serving=True terminating=True node=node-a zone=zone-a ref=a",
                "10.0.0.2 ready=False serving=False terminating=True node=node-a zone=zone-a ref=b",
            ],
            Assert.Single(plan.ToCreate).Endpoints.Select(Render));
    }

    [Fact]
    public void Plan_250Pods_ThreeSlicesOfAtMost100()
    {
        var pods = Enumerable.Range(0, 250).Select(i => Pod($"p{i:000}", $"10.0.{i / 200}.{i % 200 + 1}")).ToList();

        var plan = Plan(Service(), pods);

        Assert.Equal([100, 100, 50], plan.ToCreate.Select(s => s.Endpoints.Count));
        Assert.Equal(250, plan.ToCreate.SelectMany(s => s.Endpoints).Select(e => e.TargetRef.Name).Distinct().Count());
    }

    [Fact]
    public void Plan_NoPods_CreatesPlaceholderAndKeepsIt()
    {
        var service = Service();

        var first = Plan(service, []);
        var second = Plan(service, [], Apply([], first));

        var placeholder = Assert.Single(first.ToCreate);
        Assert.Empty(placeholder.Endpoints);
        Assert.Empty(placeholder.Ports);
        Assert.Equal("endpointslice-controller.k8s.io", placeholder.Metadata.Labels["endpointslice.kubernetes.io/managed-by"]);
        Assert.True(second.IsEmpty);
    }

    [Fact]
    public void Plan_LastPodGone_PlaceholderReusesTheSlice()
    {
        var service = Service();
        var existing = Apply([], Plan(service, [Pod("a", "10.0.0.1")]));

        var plan = Plan(service, [], existing);

        Assert.Empty(plan.ToCreate);
        Assert.Empty(plan.ToDelete);
        var updated = Assert.Single(plan.ToUpdate);
        Assert.Equal(existing[0].Metadata.Name, updated.Metadata.Name);
        Assert.Empty(updated.Endpoints);
        Assert.Empty(updated.Ports);
    }

    [Fact]
    public void Plan_NothingChanged_EmptyPlan()
    {
        var service = Service();
        var pods = Enumerable.Range(0, 150).Select(i => Pod($"p{i:000}", $"10.0.1.{i + 1}")).ToList();
        var existing = Apply([], Plan(service, pods));
        foreach (var pod in pods)
        {
            pod.Metadata.ResourceVersion = "2"; // a resync with newer pod versions is still a no-op
        }

        var plan = Plan(service, pods.AsEnumerable().Reverse().ToList(), existing);

        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void Plan_OnePodBecomesReady_UpdatesExactlyThatSlice()
    {
        var service = Service();
        var pods = Enumerable.Range(0, 150).Select(i => Pod($"p{i:000}", $"10.0.1.{i + 1}", ready: i != 120)).ToList();
        var existing = Apply([], Plan(service, pods));
        pods[120] = Pod("p120", "10.0.1.121");

        var plan = Plan(service, pods, existing);

        Assert.Empty(plan.ToCreate);
        Assert.Empty(plan.ToDelete);
        var updated = Assert.Single(plan.ToUpdate);
        Assert.Equal(existing.Single(s => s.Endpoints.Any(e => e.TargetRef.Name == "p120")).Metadata.Name, updated.Metadata.Name);
        Assert.True(updated.Endpoints.Single(e => e.TargetRef.Name == "p120").Conditions.Ready);
        Assert.Equal(50, updated.Endpoints.Count);
    }

    [Fact]
    public void Plan_NewPod_FillsTheFullestSliceThatFits()
    {
        var service = Service();
        var pods = Enumerable.Range(0, 150).Select(i => Pod($"p{i:000}", $"10.0.1.{i + 1}")).ToList();
        var existing = Apply([], Plan(service, pods));
        pods.Add(Pod("p150", "10.0.1.151"));

        var plan = Plan(service, pods, existing);

        var updated = Assert.Single(plan.ToUpdate);
        Assert.Equal(51, updated.Endpoints.Count);
        Assert.Empty(plan.ToCreate);
    }

    [Fact]
    public void Plan_SliceDeleted_IsRecreated()
    {
        var service = Service();
        var pods = Enumerable.Range(0, 150).Select(i => Pod($"p{i:000}", $"10.0.1.{i + 1}")).ToList();
        var existing = Apply([], Plan(service, pods));
        var survivor = existing.Single(s => s.Endpoints.Count == 100);

        var plan = Plan(service, pods, [survivor]);

        Assert.Empty(plan.ToUpdate);
        Assert.Empty(plan.ToDelete);
        Assert.Equal(50, Assert.Single(plan.ToCreate).Endpoints.Count);
    }

    [Fact]
    public void Plan_SliceOfAnotherServiceUid_IsDeleted()
    {
        var service = Service();
        var existing = Apply([], Plan(service, [Pod("a", "10.0.0.1")]));
        service.Metadata.Uid = "recreated-uid";

        var plan = Plan(service, [Pod("a", "10.0.0.1")], existing);

        Assert.Equal(existing[0].Metadata.Name, Assert.Single(plan.ToDelete).Metadata.Name);
        Assert.Equal("recreated-uid", Assert.Single(plan.ToCreate).Metadata.OwnerReferences[0].Uid);
        Assert.Empty(plan.ToUpdate);
    }

    [Fact]
    public void Plan_DualStack_OneSlicePerFamilyAndStaleFamilyDeleted()
    {
        var service = Service();
        service.Spec.IpFamilies = ["IPv4", "IPv6"];
        var pod = Pod("a", "10.0.0.1");
        pod.Status.PodIPs.Add(new V1PodIP { Ip = "fd00::1" });
        var stale = ObjectCopy.Clone(Apply([], Plan(service, [pod]))[0]);

        var plan = Plan(service, [pod]);
        service.Spec.IpFamilies = ["IPv6"];
        var singleStack = Plan(service, [pod], [stale]);

        Assert.Equal(["IPv4:10.0.0.1", "IPv6:fd00::1"], plan.ToCreate.Select(s => s.AddressType + ":" + s.Endpoints[0].Addresses[0]));
        Assert.Equal("IPv4", Assert.Single(singleStack.ToDelete).AddressType);
        Assert.Equal("IPv6", Assert.Single(singleStack.ToCreate).AddressType);
    }

    [Fact]
    public void Plan_HeadlessWithHostname_SetsHeadlessLabelAndHostname()
    {
        var service = Service();
        service.Spec.ClusterIP = "None";
        var pod = Pod("a", "10.0.0.1");
        pod.Spec.Hostname = "db-0";
        pod.Spec.Subdomain = "web";

        var plan = Plan(service, [pod]);

        var slice = Assert.Single(plan.ToCreate);
        Assert.Equal(string.Empty, slice.Metadata.Labels["service.kubernetes.io/headless"]);
        Assert.Equal("db-0", slice.Endpoints[0].Hostname);
    }
}
