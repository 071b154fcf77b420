using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.ServiceAccounts;

/// <summary>
/// ServiceAccount admission for pods against the real server (no controllers run here): the <c>default</c> account
/// exists as soon as its namespace does, pods get <c>serviceAccountName</c> and the projected <c>kube-api-access-*</c>
/// volume mounted in every container as Kubernetes adds them, <c>automountServiceAccountToken: false</c> is honoured, and a
/// pod naming a missing account is refused with Kubernetes' message.
/// </summary>
public sealed class ServiceAccountAdmissionTests : IClassFixture<BerthServer>
{
    private const string MountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public ServiceAccountAdmissionTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    [Fact]
    public async Task CreatePod_RightAfterItsNamespace_DefaultAccountAndTokenVolume()
    {
        await _kubectl.OkAsync("create", "namespace", "adm-default");
        var pod = Pod("p");
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "agnhost", Command = ["true"] }];

        var created = await _server.Client.CoreV1.CreateNamespacedPodAsync(pod, "adm-default");

        Assert.Equal(("default", "default"), (created.Spec.ServiceAccountName, created.Spec.ServiceAccount));
        var volume = Assert.Single(created.Spec.Volumes);
        Assert.Matches("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$", volume.Name);
        Assert.Equal(
            """{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],"name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},"path":"namespace"}]}}]}""",
            KubernetesJson.Serialize(volume.Projected));
        foreach (var container in created.Spec.InitContainers.Concat(created.Spec.Containers))
        {
            var mount = Assert.Single(container.VolumeMounts);
            Assert.Equal((volume.Name, MountPath, true), (mount.Name, mount.MountPath, mount.ReadOnlyProperty));
        }
    }

    [Fact]
    public async Task CreatePod_AutomountOff_NoVolumeUnlessThePodAsks()
    {
        var client = _server.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "adm-automount" } });
        await client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "quiet" }, AutomountServiceAccountToken = false }, "adm-automount");
        var podOff = Pod("pod-off");
        podOff.Spec.AutomountServiceAccountToken = false;
        var accountOff = Pod("account-off", "quiet");
        var podWins = Pod("pod-wins", "quiet");
        podWins.Spec.AutomountServiceAccountToken = true;

        var a = await client.CoreV1.CreateNamespacedPodAsync(podOff, "adm-automount");
        var b = await client.CoreV1.CreateNamespacedPodAsync(accountOff, "adm-automount");
        var c = await client.CoreV1.CreateNamespacedPodAsync(podWins, "adm-automount");

        Assert.Null(a.Spec.Volumes);
        Assert.Null(b.Spec.Volumes);
        Assert.Equal("quiet", b.Spec.ServiceAccountName);
        Assert.StartsWith("kube-api-access-", Assert.Single(c.Spec.Volumes).Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatePod_OwnMountAtTheTokenPath_LeftAlone()
    {
        await _kubectl.OkAsync("create", "namespace", "adm-own-mount");
        var pod = Pod("p");
        pod.Spec.Volumes = [new V1Volume { Name = "mine", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "mine", MountPath = MountPath }];

        var created = await _server.Client.CoreV1.CreateNamespacedPodAsync(pod, "adm-own-mount");

        Assert.Equal(["mine"], created.Spec.Volumes.Select(v => v.Name));
        Assert.Equal(["mine"], created.Spec.Containers[0].VolumeMounts.Select(m => m.Name));
    }

    [Fact]
    public async Task CreatePod_MissingOrDeletedAccount_Forbidden()
    {
        await _kubectl.OkAsync("create", "namespace", "adm-missing");

        var missing = await StatusAssert.FailsAsync(() => _server.Client.CoreV1.CreateNamespacedPodAsync(Pod("p", "ghost"), "adm-missing"), 403);
        await _server.Client.CoreV1.DeleteNamespacedServiceAccountAsync("default", "adm-missing");
        var deleted = await _kubectl.RunAsync(["run", "web", "--image=agnhost", "-n", "adm-missing", "--", "sleep", "60"]);

        Assert.Equal("pods \"p\" is forbidden: error looking up service account adm-missing/ghost: serviceaccount \"ghost\" not found", missing.Message);
        Assert.Equal(1, deleted.ExitCode);
        Assert.Contains("pods \"web\" is forbidden: error looking up service account adm-missing/default: serviceaccount \"default\" not found", deleted.Stderr);
    }

    [Fact]
    public async Task Namespaces_SystemAndNew_HaveTheirDefaultAccount()
    {
        await _kubectl.OkAsync("create", "namespace", "adm-list");

        var all = await _kubectl.OkAsync("get", "serviceaccounts", "-A", "--field-selector", "metadata.name=default", "-o", "jsonpath={.items[*].metadata.namespace}");

        Assert.Superset(new HashSet<string> { "default", "kube-system", "kube-public", "kube-node-lease", "adm-list" }, all.Split(' ').ToHashSet());
    }

    private static V1Pod Pod(string name, string? account = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            ServiceAccountName = account,
            Containers = [new V1Container { Name = "c", Image = "agnhost", Command = ["sleep", "3600"] }],
        },
    };
}
