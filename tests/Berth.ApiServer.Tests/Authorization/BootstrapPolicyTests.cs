using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Authorization;

/// <summary>
/// The default roles and bindings are reconciled at every start, as kube-apiserver does: what is missing is created,
/// what lacks a default rule or subject gets it back, and what its owner marked
/// <c>rbac.authorization.kubernetes.io/autoupdate: "false"</c> is left alone. Each test restarts a server on one data directory.
/// </summary>
public sealed class BootstrapPolicyTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-test-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dataDir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Restart_DeletedAndStrippedDefaults_RestoredUnlessProtected()
    {
        await using (var first = await StartAsync())
        {
            using var client = Client(first);
            await client.RbacAuthorizationV1.DeleteClusterRoleAsync("edit");
            await client.RbacAuthorizationV1.DeleteClusterRoleBindingAsync("system:basic-user");
            var discovery = await client.RbacAuthorizationV1.ReadClusterRoleAsync("system:discovery");
            discovery.Rules = [new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/version"] }];
            await client.RbacAuthorizationV1.ReplaceClusterRoleAsync(discovery, "system:discovery");
            var monitoring = await client.RbacAuthorizationV1.ReadClusterRoleAsync("system:monitoring");
            monitoring.Rules = [new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/metrics"] }];
            monitoring.Metadata.Annotations["rbac.authorization.kubernetes.io/autoupdate"] = "false";
            await client.RbacAuthorizationV1.ReplaceClusterRoleAsync(monitoring, "system:monitoring");
        }

        await using var second = await StartAsync();
        using var again = Client(second);
        var edit = await again.RbacAuthorizationV1.ReadClusterRoleAsync("edit");
        var basicUser = await again.RbacAuthorizationV1.ReadClusterRoleBindingAsync("system:basic-user");
        var restored = await again.RbacAuthorizationV1.ReadClusterRoleAsync("system:discovery");
        var kept = await again.RbacAuthorizationV1.ReadClusterRoleAsync("system:monitoring");

        Assert.Contains(edit.Rules, r => r.Resources?.Contains("secrets") == true);
        Assert.Equal("system:authenticated", Assert.Single(basicUser.Subjects).Name);
        Assert.Contains(restored.Rules, r => r.NonResourceURLs?.Contains("/apis/*") == true);
        Assert.Contains(restored.Rules, r => r.NonResourceURLs?.SequenceEqual(["/version"]) == true);
        Assert.Equal(["/metrics"], Assert.Single(kept.Rules).NonResourceURLs);
    }

    private Task<ApiServerHost> StartAsync() =>
        ApiServerHost.StartAsync(new ApiServerOptions { DataDir = _dataDir, ApiPort = 0 }, null, CancellationToken.None);

    private static Kubernetes Client(ApiServerHost host) => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(host.KubeconfigPath));
}
