using Berth.Controllers.GarbageCollection;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.GarbageCollection;

public sealed class GarbageCollectorIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ControlPlaneFixture _fixture;

    public GarbageCollectorIntegrationTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task DeleteBackground_OwnerGone_DependentsDeleted()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var owner = await client.CreateAsync(ConfigMap(ns, "owner"), None);
        await client.CreateAsync(ConfigMap(ns, "child", Ref(owner)), None);
        await client.CreateAsync(Pod(ns, "pod", Ref(owner)), None);

        await client.DeleteAsync<V1ConfigMap>(ns, "owner", new V1DeleteOptions { PropagationPolicy = "Background" }, None);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "child", None) is null, "config map collected");
        await Eventually.TrueAsync(async () => await client.GetAsync<V1Pod>(ns, "pod", None) is null, "pod collected");
    }

    [Fact]
    public async Task DeleteForeground_BlockingDependent_OwnerStaysUntilDependentGone()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var owner = await client.CreateAsync(ConfigMap(ns, "owner"), None);
        var child = ConfigMap(ns, "child", Ref(owner, block: true));
        child.Metadata.Finalizers = ["example.com/hold"];
        await client.CreateAsync(child, None);

        await client.DeleteAsync<V1ConfigMap>(ns, "owner", new V1DeleteOptions { PropagationPolicy = "Foreground" }, None);
        var held = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1ConfigMap>(ns, "child", None) is { Metadata.DeletionTimestamp: not null } c ? c : null,
            "dependent being deleted");
        await Task.Delay(300);
        var waiting = await client.GetAsync<V1ConfigMap>(ns, "owner", None);
        held.Metadata.Finalizers = null;
        await client.UpdateAsync(held, None);

        Assert.NotNull(waiting);
        Assert.Contains(GarbageCollector.ForegroundFinalizer, waiting.Metadata.Finalizers);
        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "child", None) is null, "dependent gone");
        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "owner", None) is null, "owner gone");
    }

    [Fact]
    public async Task DeleteOrphan_Dependents_KeptWithoutOwnerReference()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var owner = await client.CreateAsync(ConfigMap(ns, "owner"), None);
        await client.CreateAsync(ConfigMap(ns, "child", Ref(owner, block: true)), None);
        await client.CreateAsync(Pod(ns, "pod", Ref(owner)), None);

        await client.DeleteAsync<V1ConfigMap>(ns, "owner", new V1DeleteOptions { PropagationPolicy = "Orphan" }, None);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "owner", None) is null, "owner gone");
        var child = await client.GetAsync<V1ConfigMap>(ns, "child", None);
        var pod = await client.GetAsync<V1Pod>(ns, "pod", None);
        Assert.NotNull(child);
        Assert.Null(child.Metadata.OwnerReferences);
        Assert.NotNull(pod);
        Assert.Null(pod.Metadata.OwnerReferences);
        await Task.Delay(500);
        Assert.NotNull(await client.GetAsync<V1ConfigMap>(ns, "child", None));
    }

    [Fact]
    public async Task DeleteBackground_OneOfTwoOwners_DependentSurvivesUntilTheOtherGoes()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var first = await client.CreateAsync(ConfigMap(ns, "first"), None);
        var second = await client.CreateAsync(ConfigMap(ns, "second"), None);
        await client.CreateAsync(ConfigMap(ns, "shared", Ref(first), Ref(second)), None);

        await client.DeleteAsync<V1ConfigMap>(ns, "first", null, None);
        var kept = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1ConfigMap>(ns, "shared", None) is { Metadata.OwnerReferences.Count: 1 } c ? c : null,
            "dangling reference removed");
        await client.DeleteAsync<V1ConfigMap>(ns, "second", null, None);

        Assert.Equal(second.Metadata.Uid, kept.Metadata.OwnerReferences[0].Uid);
        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "shared", None) is null, "collected after the last owner");
    }

    [Fact]
    public async Task Dependent_OwnerNeverExisted_IsDeleted()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var ghost = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "ghost", Uid = Guid.NewGuid().ToString() };

        await client.CreateAsync(Pod(ns, "orphaned", ghost), None);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1Pod>(ns, "orphaned", None) is null, "pod with a missing owner collected");
    }

    private static V1OwnerReference Ref(V1ConfigMap owner, bool block = false) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        BlockOwnerDeletion = block ? true : null,
    };

    private static V1ConfigMap ConfigMap(string ns, string name, params V1OwnerReference[] owners) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, OwnerReferences = owners.Length == 0 ? null : owners },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    private static V1Pod Pod(string ns, string name, params V1OwnerReference[] owners) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, OwnerReferences = owners },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
    };
}
