using System.Diagnostics;
using Berth.Controllers.Namespaces;
using Berth.Controllers.Tests.Integration;
using k8s;
using k8s.Models;

namespace Berth.Controllers.Tests.Namespaces;

public sealed class NamespaceControllerIntegrationTests : IClassFixture<ControlPlaneFixture>
{
    private readonly ControlPlaneFixture _fixture;

    public NamespaceControllerIntegrationTests(ControlPlaneFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task Delete_NamespaceWithObjects_EmptiesThenRemovesIt()
    {
        await using var manager = await _fixture.StartAsync(null, m => new NamespaceController(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = ns } }, CancellationToken.None);
        await client.CreateAsync(Pod(ns, "bound", node: "node-1"), CancellationToken.None);
        await client.CreateAsync(Pod(ns, "pending"), CancellationToken.None);
        await client.CreateAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = ns }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] } },
            CancellationToken.None);

        await client.DeleteAsync<V1Namespace>(null, ns, null, CancellationToken.None);

        await Eventually.TrueAsync(async () => await client.GetAsync<V1Namespace>(null, ns, CancellationToken.None) is null, "namespace removed");
        Assert.Empty((await client.ListAsync<V1Pod>(ns, null, CancellationToken.None)).Items);
        Assert.Empty((await client.ListAsync<V1ConfigMap>(ns, null, CancellationToken.None)).Items);
        Assert.Empty((await client.ListAsync<V1Service>(ns, null, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Delete_ObjectWithFinalizer_NamespaceStaysTerminatingUntilReleased()
    {
        await using var manager = await _fixture.StartAsync(null, m => new NamespaceController(m));
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await client.CreateAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", NamespaceProperty = ns, Finalizers = ["example.com/hold"] } },
            CancellationToken.None);

        await client.DeleteAsync<V1Namespace>(null, ns, null, CancellationToken.None);
        var held = await Eventually.ValueAsync(
            async () => await client.GetAsync<V1ConfigMap>(ns, "held", CancellationToken.None) is { Metadata.DeletionTimestamp: not null } cm ? cm : null,
            "config map marked for deletion");
        var terminating = await client.GetAsync<V1Namespace>(null, ns, CancellationToken.None);
        held.Metadata.Finalizers = null;
        await client.UpdateAsync(held, CancellationToken.None);

        Assert.Equal("Terminating", terminating?.Status?.Phase);
        await Eventually.TrueAsync(async () => await client.GetAsync<V1Namespace>(null, ns, CancellationToken.None) is null, "namespace removed");
    }

    [Fact]
    public async Task Finalize_TerminatingNamespace_RemovesIt()
    {
        var client = _fixture.Client;
        var ns = await _fixture.NewNamespaceAsync();
        await client.DeleteAsync<V1Namespace>(null, ns, null, CancellationToken.None);
        var terminating = await client.GetAsync<V1Namespace>(null, ns, CancellationToken.None);

        // kubectl's own client: the Kubernetes API's finalize subresource.
        using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(_fixture.Host.KubeconfigPath));
        terminating!.Spec.Finalizers = [];
        await kube.CoreV1.ReplaceNamespaceFinalizeAsync(terminating, ns);

        Assert.Null(await client.GetAsync<V1Namespace>(null, ns, CancellationToken.None));
    }

    [Fact]
    public async Task KubectlDeleteNamespace_ReturnsAndNamespaceIsGone()
    {
        await using var manager = await _fixture.StartAsync(null, m => new NamespaceController(m));
        var ns = await _fixture.NewNamespaceAsync();
        await _fixture.Client.CreateAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm", NamespaceProperty = ns } }, CancellationToken.None);

        var deleted = await KubectlAsync("delete", "namespace", ns, "--timeout=30s");
        var get = await KubectlAsync("get", "namespace", ns);

        Assert.True(deleted.ExitCode == 0, deleted.Stderr);
        Assert.NotEqual(0, get.ExitCode);
        Assert.Contains("NotFound", get.Stderr, StringComparison.Ordinal);
    }

    private static V1Pod Pod(string ns, string name, string? node = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "busybox" }] },
    };

    /// <summary>The installed kubectl, always with <c>--kubeconfig</c> and <c>KUBECONFIG</c> naming the file the server wrote.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr)> KubectlAsync(params string[] args)
    {
        var kubeconfig = _fixture.Host.KubeconfigPath;
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(kubeconfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(_fixture.DataDir, "kubectl-cache"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["KUBECONFIG"] = kubeconfig;
        info.Environment["HOME"] = _fixture.DataDir;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
