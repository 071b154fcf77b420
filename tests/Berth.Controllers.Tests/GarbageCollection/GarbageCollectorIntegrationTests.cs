using Berth.Controllers.GarbageCollection;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.GarbageCollection;

public sealed class GarbageCollectorIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private static readonly CancellationToken _none = CancellationToken.None;
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
        var owner = await client.CreateAsync(ConfigMap(ns, "owner"), _none);
        await client.CreateAsync(ConfigMap(ns, "child", Ref(owner)), _none);
        await client.CreateAsync(Pod(ns, "pod", Ref(owner)), _none);

        await client.DeleteAsync<V1ConfigMap>(ns, "owner", new V1DeleteOptions { PropagationPolicy = "Background" }, _none);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "child", _none) is null, "config map collected");
        await Eventually.TrueAsync(async () => await client.GetAsync<V1Pod>(ns, "pod", _none) is null, "pod collected");
    }

    [Fact]
    public async Task DeleteForeground_BlockingDependent_OwnerStaysUntilDependentGone()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var owner = await client.CreateAsync(ConfigMap(ns, "owner"), _none);
        var child = ConfigMap(ns, "child", Ref(owner, block: true));
        child.Metadata.Finalizers = ["example.com/hold"];
        await client.CreateAsync(child, _none);

        await client.DeleteAsync<V1ConfigMap>(ns, "owner", new V1DeleteOptions { PropagationPolicy = "Foreground" }, _none);
        var held = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1ConfigMap>(ns, "child", _none) is { Metadata.DeletionTimestamp: not null } c ? c : null,
            "dependent being deleted");
        await Task.Delay(300);
        var waiting = await client.GetAsync<V1ConfigMap>(ns, "owner", _none);

        // The collector may write the dependent meanwhile: release the finalizer with a fresh read on conflict.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                held.Metadata.Finalizers = null;
                await client.UpdateAsync(held, _none);
                break;
            }
            catch (Berth.Client.ConflictException) when (attempt < 10)
            {
                held = (await client.GetAsync<V1ConfigMap>(ns, "child", _none))!;
            }
        }

        Assert.NotNull(waiting);
        Assert.Contains(GarbageCollector.ForegroundFinalizer, waiting.Metadata.Finalizers);
        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "child", _none) is null, "dependent gone");
        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "owner", _none) is null, "owner gone");
    }

    [Fact]
    public async Task DeleteOrphan_Dependents_KeptWithoutOwnerReference()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var owner = await client.CreateAsync(ConfigMap(ns, "owner"), _none);
        await client.CreateAsync(ConfigMap(ns, "child", Ref(owner, block: true)), _none);
        await client.CreateAsync(Pod(ns, "pod", Ref(owner)), _none);

        await client.DeleteAsync<V1ConfigMap>(ns, "owner", new V1DeleteOptions { PropagationPolicy = "Orphan" }, _none);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "owner", _none) is null, "owner gone");
        var child = await client.GetAsync<V1ConfigMap>(ns, "child", _none);
        var pod = await client.GetAsync<V1Pod>(ns, "pod", _none);
        Assert.NotNull(child);
        Assert.Null(child.Metadata.OwnerReferences);
        Assert.NotNull(pod);
        Assert.Null(pod.Metadata.OwnerReferences);
        await Task.Delay(500);
        Assert.NotNull(await client.GetAsync<V1ConfigMap>(ns, "child", _none));
    }

    [Fact]
    public async Task DeleteBackground_OneOfTwoOwners_DependentSurvivesUntilTheOtherGoes()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var first = await client.CreateAsync(ConfigMap(ns, "first"), _none);
        var second = await client.CreateAsync(ConfigMap(ns, "second"), _none);
        await client.CreateAsync(ConfigMap(ns, "shared", Ref(first), Ref(second)), _none);

        await client.DeleteAsync<V1ConfigMap>(ns, "first", null, _none);
        var kept = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1ConfigMap>(ns, "shared", _none) is { Metadata.OwnerReferences.Count: 1 } c ? c : null,
            "dangling reference removed");
        await client.DeleteAsync<V1ConfigMap>(ns, "second", null, _none);

        Assert.Equal(second.Metadata.Uid, kept.Metadata.OwnerReferences[0].Uid);
        await Eventually.TrueAsync(async () => await client.GetAsync<V1ConfigMap>(ns, "shared", _none) is null, "collected after the last owner");
    }

    [Fact]
    public async Task Dependent_OwnerNeverExisted_IsDeleted()
    {
        await using var manager = await _fixture.StartAsync(null, m => new GarbageCollector(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        var ghost = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "ghost", Uid = Guid.NewGuid().ToString() };

        await client.CreateAsync(Pod(ns, "orphaned", ghost), _none);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1Pod>(ns, "orphaned", _none) is null, "pod with a missing owner collected");
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
