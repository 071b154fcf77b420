using Berth.Node.Runtime;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// Pods as real processes read their volumes at their mountPaths, in the pod's mount namespace: configMap files and
/// their update, an emptyDir two containers share, downwardAPI labels, hostPath, readOnly, and the Warnings of volumes
/// that cannot be provided. The mountPaths are directories the test makes on the host (a mount point must exist there,
/// see the node README): the host's directory stays empty, only the pod sees the volume.
/// </summary>
[Collection(VolumeCollection.Name)]
public sealed class VolumeTests(ResolverCluster cluster) : IDisposable
{
    private readonly string _scratch = Pods.WritableDirectory("berth-volumes-");

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>An empty directory on the host, the mount point of one mountPath.</summary>
    private string MountPoint(string name)
    {
        var dir = Path.Combine(_scratch, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private async Task<V1Pod> RunAsync(V1Pod pod)
    {
        await cluster.Client.CreateAsync(pod, CancellationToken.None);
        return await Pods.WaitAsync(cluster.Client, pod.Metadata.NamespaceProperty, pod.Metadata.Name, Pods.IsReady, "ready");
    }

    private static V1ConfigMap ConfigMap(string ns, string name, Dictionary<string, string> data) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = data };

    [Fact]
    public async Task ConfigMapVolume_FilesAtTheMountPath_UpdatedInPlace_ReadOnly()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CreateAsync(ConfigMap(ns, "settings", new() { ["app.conf"] = "color=blue\n", ["mode"] = "fast" }), CancellationToken.None);
        var config = MountPoint("config");
        var items = MountPoint("items");
        var pod = cluster.Pod(ns, "reader");
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "settings" } },
            new V1Volume { Name = "items", ConfigMap = new V1ConfigMapVolumeSource { Name = "settings", Items = [new V1KeyToPath { Key = "mode", Path = "sub/speed", Mode = 384 }] } },
        ];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "config", MountPath = config }, new V1VolumeMount { Name = "items", MountPath = items }];

        await RunAsync(pod);

        Assert.Equal("color=blue\n", await cluster.ExecAsync(ns, "reader", "cat", config + "/app.conf"));
        Assert.Equal("fast", await cluster.ExecAsync(ns, "reader", "cat", items + "/sub/speed"));
        Assert.Equal("-rw------- fast", (await cluster.ExecAsync(ns, "reader", "sh", "-c", $"stat -L -c %A {items}/sub/speed; cat {items}/sub/speed")).ReplaceLineEndings(" "));
        Assert.Empty(Directory.EnumerateFileSystemEntries(config)); // the host's directory is untouched
        var write = await cluster.Kubectl.RunAsync(["exec", "-n", ns, "reader", "--", "sh", "-c", $"echo x > {config}/new"]);
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("Read-only file system", write.Stderr, StringComparison.Ordinal);

        var map = await cluster.Client.GetAsync<V1ConfigMap>(ns, "settings", CancellationToken.None);
        map!.Data = new Dictionary<string, string> { ["app.conf"] = "color=green\n", ["extra"] = "1" };
        await cluster.Client.UpdateAsync(map, CancellationToken.None);

        await Eventually.TrueAsync(async () => await cluster.ExecAsync(ns, "reader", "cat", config + "/app.conf") == "color=green\n", "the running pod sees the new app.conf");
        Assert.Equal("app.conf\nextra\n", await cluster.ExecAsync(ns, "reader", "ls", config));
    }

    [Fact]
    public async Task SecretVolume_DefaultModeOwnedByThePodsUser_AndUpdated()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CreateAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "creds", NamespaceProperty = ns }, StringData = new Dictionary<string, string> { ["password"] = "s3cret" } },
            CancellationToken.None);
        var secrets = MountPoint("secrets");
        var pod = cluster.Pod(ns, "secretive");
        pod.Spec.Volumes = [new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "creds", DefaultMode = 256 } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "creds", MountPath = secrets }];

        await RunAsync(pod);

        // 0400, readable by the pod's user (nobody), who stands for the image's user
        Assert.Equal("-r-------- nobody s3cret", (await cluster.ExecAsync(ns, "secretive", "sh", "-c", $"stat -L -c '%A %U' {secrets}/password; cat {secrets}/password")).ReplaceLineEndings(" "));
        await cluster.Client.PatchAsync<V1Secret>(ns, "creds", V1Patch.PatchType.MergePatch, "{\"stringData\":{\"password\":\"rotated\"}}", CancellationToken.None);
        await Eventually.TrueAsync(async () => await cluster.ExecAsync(ns, "secretive", "cat", secrets + "/password") == "rotated", "the rotated password");
    }

    [Fact]
    public async Task EmptyDir_IsSharedByTheContainersOfThePod_AndReadOnlyMountsCannotWrite()
    {
        var ns = await cluster.NewNamespaceAsync();
        var shared = MountPoint("shared");
        var viewer = MountPoint("viewer");
        var pod = cluster.Pod(ns, "pair", $"echo hello > {shared}/greeting; sleep 3600");
        pod.Spec.Volumes = [new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "cache", MountPath = shared }];
        pod.Spec.Containers.Add(new V1Container
        {
            Name = "side",
            Image = "busybox",
            Command = ["sh", "-c", "sleep 3600"],
            VolumeMounts = [new V1VolumeMount { Name = "cache", MountPath = viewer, ReadOnlyProperty = true }],
        });

        await RunAsync(pod);

        await Eventually.TrueAsync(async () => (await cluster.Kubectl.RunAsync(["exec", "-n", ns, "pair", "-c", "side", "--", "cat", viewer + "/greeting"])).Stdout == "hello\n", "the side container reads what main wrote");
        var write = await cluster.Kubectl.RunAsync(["exec", "-n", ns, "pair", "-c", "side", "--", "sh", "-c", $"echo x > {viewer}/other"]);
        Assert.Contains("Read-only file system", write.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(shared));
    }

    [Fact]
    public async Task DownwardApiVolume_HasTheLabels_AndFollowsTheirChange()
    {
        var ns = await cluster.NewNamespaceAsync();
        var info = MountPoint("podinfo");
        var pod = cluster.Pod(ns, "labelled");
        pod.Metadata.Labels["tier"] = "front";
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") } };
        pod.Spec.Volumes =
        [
            new V1Volume
            {
                Name = "podinfo",
                DownwardAPI = new V1DownwardAPIVolumeSource
                {
                    Items =
                    [
                        new V1DownwardAPIVolumeFile { Path = "labels", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } },
                        new V1DownwardAPIVolumeFile { Path = "name", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } },
                        new V1DownwardAPIVolumeFile { Path = "memory", ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "main", Resource = "requests.memory", Divisor = new ResourceQuantity("1Mi") } },
                    ],
                },
            },
        ];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "podinfo", MountPath = info }];

        await RunAsync(pod);

        var files = await cluster.ExecAsync(ns, "labelled", "sh", "-c", $"cat {info}/labels; echo '|'; cat {info}/name; echo '|'; cat {info}/memory");
        Assert.Equal("app=\"labelled\"\ntier=\"front\"|\nlabelled|\n64", files);
        await cluster.Client.PatchAsync<V1Pod>(ns, "labelled", V1Patch.PatchType.MergePatch, "{\"metadata\":{\"labels\":{\"tier\":\"back\"}}}", CancellationToken.None);
        await Eventually.TrueAsync(async () => await cluster.ExecAsync(ns, "labelled", "cat", info + "/labels") == "app=\"labelled\"\ntier=\"back\"", "the labels file follows the pod");
    }

    [Fact]
    public async Task HostPath_IsTheHostsDirectory_BothWays()
    {
        var ns = await cluster.NewNamespaceAsync();
        var host = MountPoint("host-data");
        File.SetUnixFileMode(host, (UnixFileMode)0x1FF); // the pod's user (nobody) writes here
        await File.WriteAllTextAsync(Path.Combine(host, "from-host"), "node\n");
        var inPod = MountPoint("in-pod");
        var pod = cluster.Pod(ns, "hostpath", $"echo pod > {inPod}/from-pod; sleep 3600");
        pod.Spec.Volumes = [new V1Volume { Name = "data", HostPath = new V1HostPathVolumeSource { Path = host, Type = "Directory" } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = inPod }];

        await RunAsync(pod);

        Assert.Equal("node\n", await cluster.ExecAsync(ns, "hostpath", "cat", inPod + "/from-host"));
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(host, "from-pod")), "the pod's file on the host");
        Assert.Equal("pod\n", await File.ReadAllTextAsync(Path.Combine(host, "from-pod")));
    }

    [Fact]
    public async Task AMissingConfigMap_BlocksThePodWithFailedMount_UntilItExists()
    {
        var ns = await cluster.NewNamespaceAsync();
        var config = MountPoint("late");
        var pod = cluster.Pod(ns, "waiting");
        pod.Spec.Volumes = [new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "later" } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "config", MountPath = config }];
        await cluster.Client.CreateAsync(pod, CancellationToken.None);

        var failed = await Eventually.ValueAsync(async () => (await cluster.EventsAsync(ns, "waiting", "FailedMount")).FirstOrDefault(), "a FailedMount event");
        Assert.Equal("Warning", failed.Type);
        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap \"later\" not found", failed.Message);
        var waiting = await cluster.Client.GetAsync<V1Pod>(ns, "waiting", CancellationToken.None);
        Assert.Null(waiting!.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Running);

        await cluster.Client.CreateAsync(ConfigMap(ns, "later", new() { ["k"] = "v" }), CancellationToken.None);
        await Pods.WaitAsync(cluster.Client, ns, "waiting", Pods.IsReady, "ready once the ConfigMap exists");
        Assert.Equal("v", await cluster.ExecAsync(ns, "waiting", "cat", config + "/k"));
    }

    [Fact]
    public async Task UnsupportedVolume_AndAMissingMountPoint_AreWarnings_ThePodRuns()
    {
        var ns = await cluster.NewNamespaceAsync();
        var nowhere = Path.Combine(_scratch, "not-here");
        var parent = MountPoint("parent");
        var pod = cluster.Pod(ns, "partial");
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "data-0" } },
            new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
            new V1Volume { Name = "nested", EmptyDir = new V1EmptyDirVolumeSource() },
        ];
        pod.Spec.Containers[0].VolumeMounts =
        [
            new V1VolumeMount { Name = "data", MountPath = "/var/lib/data" },
            new V1VolumeMount { Name = "scratch", MountPath = nowhere },
            new V1VolumeMount { Name = "scratch", MountPath = parent },
            new V1VolumeMount { Name = "nested", MountPath = parent + "/inner/deep" }, // its mount point is made inside "scratch"
        ];

        await RunAsync(pod);

        var warnings = (await cluster.EventsAsync(ns, "partial", "FailedMount")).Select(e => e.Type + ": " + e.Message).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                $"Warning: volume \"data\": persistentVolumeClaim volumes are not supported by Berth (only emptyDir, configMap, secret, downwardAPI, projected and hostPath are): the containers start without it",
                $"Warning: volume \"scratch\" is not mounted at {nowhere} in container main: {nowhere} does not exist on this node (Berth creates mount points only inside the pod's own volumes and below the node's mount point roots)",
            ],
            warnings);
        Assert.False(Directory.Exists(nowhere));
        await cluster.ExecAsync(ns, "partial", "sh", "-c", $"echo deep > {parent}/inner/deep/file");
        Assert.Equal("inner\n", await cluster.ExecAsync(ns, "partial", "ls", parent));
        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
    }

    [Fact]
    public async Task MemoryEmptyDir_IsATmpfs_GoneWithThePod()
    {
        var ns = await cluster.NewNamespaceAsync();
        var mem = MountPoint("mem");
        var pod = cluster.Pod(ns, "memory");
        pod.Spec.Volumes = [new V1Volume { Name = "fast", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("16Mi") } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "fast", MountPath = mem }];
        var running = await RunAsync(pod);
        var source = Path.Combine(cluster.DataDir, cluster.NodeName, "pods", running.Metadata.Uid, "volumes", "kubernetes.io~empty-dir", "fast");

        var type = await cluster.ExecAsync(ns, "memory", "stat", "-f", "-c", "%T %b %S", mem);
        Assert.True(IsMounted(source), "the tmpfs is mounted on the host, under the pod's directory");

        Assert.Equal("tmpfs 4096 4096\n", type); // 16 MiB in 4 KiB blocks
        await cluster.Client.DeleteAsync<V1Pod>(ns, "memory", null, CancellationToken.None);
        await Eventually.TrueAsync(async () => await cluster.Client.GetAsync<V1Pod>(ns, "memory", CancellationToken.None) is null && !IsMounted(source), "the pod gone and its tmpfs unmounted");
    }

    [Fact]
    public async Task ProjectedVolume_AndSubPaths()
    {
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CreateAsync(ConfigMap(ns, "site", new() { ["index.html"] = "<h1>hi</h1>", ["robots.txt"] = "none" }), CancellationToken.None);
        var all = MountPoint("all");
        var page = Path.Combine(MountPoint("html"), "index.html");
        await File.WriteAllTextAsync(page, "host page");
        var logs = MountPoint("logs");
        var pod = cluster.Pod(ns, "projected", $"echo started > {logs}/main.log; sleep 3600");
        pod.Spec.Volumes =
        [
            new V1Volume
            {
                Name = "all",
                Projected = new V1ProjectedVolumeSource
                {
                    Sources =
                    [
                        new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "site", Items = [new V1KeyToPath { Key = "robots.txt", Path = "robots.txt" }] } },
                        new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "meta/namespace", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } }] } },
                    ],
                },
            },
            new V1Volume { Name = "site", ConfigMap = new V1ConfigMapVolumeSource { Name = "site" } },
            new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
        ];
        pod.Spec.Containers[0].VolumeMounts =
        [
            new V1VolumeMount { Name = "all", MountPath = all },
            new V1VolumeMount { Name = "site", MountPath = page, SubPath = "index.html" },
            new V1VolumeMount { Name = "scratch", MountPath = logs, SubPathExpr = "$(POD_NAME)" },
        ];
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } }];
        var running = await RunAsync(pod);

        var files = await cluster.ExecAsync(ns, "projected", "sh", "-c", $"cat {all}/robots.txt {all}/meta/namespace {page}");

        Assert.Equal("none" + ns + "<h1>hi</h1>", files);
        Assert.Equal("host page", await File.ReadAllTextAsync(page));
        var scratch = Path.Combine(cluster.DataDir, cluster.NodeName, "pods", running.Metadata.Uid, "volumes", "kubernetes.io~empty-dir", "scratch");
        await Eventually.TrueAsync(() => File.Exists(Path.Combine(scratch, "projected", "main.log")), "the log in the emptyDir's subPath named after the pod");
    }

    [Fact]
    public async Task NoSandbox_TheContainersStartWithoutTheirVolumes_AndThePodIsWarned()
    {
        var ns = await cluster.NewNamespaceAsync();
        var node = "novol-" + Guid.NewGuid().ToString("N")[..6];
        await cluster.StartAgentAsync(node, 71, SandboxMode.None, []);
        var pod = cluster.Pod(ns, "bare", nodeName: node);
        pod.Spec.Volumes = [new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "cache", MountPath = "/cache" }];

        await RunAsync(pod);

        var warning = await Eventually.ValueAsync(
            async () => (await cluster.EventsAsync(ns, "bare", "FailedMount")).FirstOrDefault(e => e.Message.StartsWith("This node cannot mount volumes", StringComparison.Ordinal)),
            "the FailedMount Warning");
        Assert.Equal("Warning", warning.Type);
        // The admission-added service-account volume (kube-api-access-*) is named in the same warning.
        Assert.Contains("container main starts without volume \"cache\" at /cache", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserNamespaceSandbox_MountsVolumesToo()
    {
        var ns = await cluster.NewNamespaceAsync();
        var node = "userns-" + Guid.NewGuid().ToString("N")[..6];
        await cluster.StartAgentAsync(node, 72, SandboxMode.UserNamespace, []);
        await cluster.Client.CreateAsync(ConfigMap(ns, "conf", new() { ["k"] = "v1" }), CancellationToken.None);
        var config = MountPoint("userns-config");
        var work = MountPoint("userns-work");
        var pod = cluster.Pod(ns, "userns", nodeName: node);
        pod.Spec.Volumes = [new V1Volume { Name = "conf", ConfigMap = new V1ConfigMapVolumeSource { Name = "conf" } }, new V1Volume { Name = "work", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers[0].VolumeMounts =
        [
            new V1VolumeMount { Name = "conf", MountPath = config },
            new V1VolumeMount { Name = "work", MountPath = work, ReadOnlyProperty = true },
        ];

        await RunAsync(pod);

        Assert.Equal("v1", await cluster.ExecAsync(ns, "userns", "cat", config + "/k"));
        var write = await cluster.Kubectl.RunAsync(["exec", "-n", ns, "userns", "--", "sh", "-c", $"echo x > {work}/file"]);
        Assert.Contains("Read-only file system", write.Stderr, StringComparison.Ordinal);
        var map = await cluster.Client.GetAsync<V1ConfigMap>(ns, "conf", CancellationToken.None);
        map!.Data["k"] = "v2";
        await cluster.Client.UpdateAsync(map, CancellationToken.None);
        await Eventually.TrueAsync(async () => await cluster.ExecAsync(ns, "userns", "cat", config + "/k") == "v2", "the update inside the user namespace");
    }

    [Fact]
    public async Task ServiceAccountToken_AndCaCertificate_AtTheWellKnownPath_AnInClusterClientReadsTheApi()
    {
        const string Path = "/var/run/secrets/kubernetes.io/serviceaccount";
        var ns = await cluster.NewNamespaceAsync();
        // A service account of its own (the cluster's root-ca-cert-publisher makes kube-root-ca.crt in every
        // namespace), and a binding so that it may read pods.
        await cluster.Client.CreateAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "reader", NamespaceProperty = ns } }, CancellationToken.None);
        await cluster.Client.CreateAsync(
            new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "reader-view", NamespaceProperty = ns },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "view" },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "reader", NamespaceProperty = ns }],
            },
            CancellationToken.None);
        var pod = cluster.Pod(ns, "in-cluster");
        pod.Spec.ServiceAccountName = "reader";
        // The volume kube-apiserver's ServiceAccount admission adds as kube-api-access-<random>.
        pod.Spec.Volumes =
        [
            new V1Volume
            {
                Name = "kube-api-access",
                Projected = new V1ProjectedVolumeSource
                {
                    DefaultMode = 420,
                    Sources =
                    [
                        new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { ExpirationSeconds = 3607, Path = "token" } },
                        new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                        new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } }] } },
                    ],
                },
            },
        ];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "kube-api-access", MountPath = Path, ReadOnlyProperty = true }];

        await RunAsync(pod);

        Assert.Equal("ca.crt\nnamespace\ntoken\n", await cluster.ExecAsync(ns, "in-cluster", "ls", Path));
        Assert.Equal(ns, await cluster.ExecAsync(ns, "in-cluster", "cat", Path + "/namespace"));
        var answer = await cluster.ExecAsync(
            ns,
            "in-cluster",
            "sh",
            "-c",
            $"curl -sS --fail-with-body --cacert {Path}/ca.crt -H \"Authorization: Bearer $(cat {Path}/token)\" {cluster.Host.Url}/api/v1/namespaces/$(cat {Path}/namespace)/pods/in-cluster");
        var read = k8s.KubernetesJson.Deserialize<V1Pod>(answer);
        Assert.Equal("reader", read.Spec.ServiceAccountName);
        Assert.Equal("in-cluster", read.Metadata.Name);
    }

    private static bool IsMounted(string path) =>
        File.ReadLines("/proc/self/mountinfo").Any(line => line.Split(' ')[4] == path);
}

[CollectionDefinition(Name)]
public sealed class VolumeCollection : ICollectionFixture<ResolverCluster>
{
    public const string Name = "volumes";
}
