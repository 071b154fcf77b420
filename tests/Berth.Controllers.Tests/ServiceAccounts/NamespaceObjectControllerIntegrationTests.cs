using Berth.Controllers.ServiceAccounts;
using Berth.Controllers.Tests.Integration;
using k8s.Models;

namespace Berth.Controllers.Tests.ServiceAccounts;

/// <summary>
/// The serviceaccounts controller and the root-ca-cert-publisher against the real server: the <c>default</c>
/// ServiceAccount and the <c>kube-root-ca.crt</c> ConfigMap appear in every namespace (existing and new) and come back
/// when deleted; a changed ConfigMap is put right.
/// </summary>
public sealed class NamespaceObjectControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public NamespaceObjectControllerIntegrationTests(ControlPlaneFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task DefaultServiceAccount_EveryNamespace_CreatedAndRecreatedWhenDeleted()
    {
        var existing = await _fixture.NewNamespaceAsync();
        await using var manager = await _fixture.StartAsync(null, m => new NamespaceObjectController<V1ServiceAccount>(m, "serviceaccount", new DefaultServiceAccount()));
        var client = _fixture.Client;
        var created = await _fixture.NewNamespaceAsync();

        var inExisting = await Eventually.ValueAsync(() => client.GetAsync<V1ServiceAccount>(existing, "default", CancellationToken.None), "default in the existing namespace");
        await Eventually.ValueAsync(() => client.GetAsync<V1ServiceAccount>(created, "default", CancellationToken.None), "default in the new namespace");
        await Eventually.ValueAsync(() => client.GetAsync<V1ServiceAccount>("kube-system", "default", CancellationToken.None), "default in kube-system");
        await client.DeleteAsync<V1ServiceAccount>(existing, "default", null, CancellationToken.None);

        var recreated = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1ServiceAccount>(existing, "default", CancellationToken.None) is { } sa && sa.Metadata.Uid != inExisting.Metadata.Uid ? sa : null,
            "default recreated with a new uid");
        Assert.Null(recreated.Secrets);
    }

    [Fact]
    public async Task RootCaConfigMap_DeletedOrChanged_PutBack()
    {
        var ca = _fixture.Host.Credentials.CaPem;
        await using var manager = await _fixture.StartAsync(null, m => new NamespaceObjectController<V1ConfigMap>(m, "root-ca-cert-publisher", new RootCaConfigMap(ca)));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();

        var published = await Eventually.ValueAsync(() => client.GetAsync<V1ConfigMap>(ns, "kube-root-ca.crt", CancellationToken.None), "kube-root-ca.crt published");
        published.Data["ca.crt"] = "tampered";
        published.Data["extra"] = "x";
        await client.UpdateAsync(published, CancellationToken.None);

        var repaired = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1ConfigMap>(ns, "kube-root-ca.crt", CancellationToken.None) is { } cm && cm.Data["ca.crt"] == ca ? cm : null,
            "kube-root-ca.crt repaired");
        Assert.Equal(["ca.crt"], repaired.Data.Keys);
        Assert.Equal(RootCaConfigMap.Description, repaired.Metadata.Annotations[RootCaConfigMap.DescriptionAnnotation]);
        await client.DeleteAsync<V1ConfigMap>(ns, "kube-root-ca.crt", null, CancellationToken.None);
        await Eventually.TrueAsync(
            async () => await client.GetAsync<V1ConfigMap>(ns, "kube-root-ca.crt", CancellationToken.None) is { } cm && cm.Metadata.Uid != repaired.Metadata.Uid,
            "kube-root-ca.crt recreated");
    }
}
