using System.Text;
using k8s;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

/// <summary>
/// A root agent (the tests run as root, CI too) runs every process of a pod — containers, exec sessions, exec probes,
/// preStop hooks — as the securityContext's user or as <c>nobody</c>, never as root unless asked, and those processes
/// cannot read the data directory.
/// </summary>
[Collection(ResolverCollection.Name)]
public sealed class PodUserTests(ResolverCluster cluster)
{
    private const string Nobody = "65534";

    [Fact]
    public async Task PodWithoutSecurityContext_RunsAsNobody_InAWorkingDirectoryOutsideTheDataDirectory()
    {
        Assert.True(Environment.IsPrivilegedProcess, "these tests need root (CI runs as root)");
        var ns = await cluster.NewNamespaceAsync();
        await cluster.Client.CreateAsync(cluster.Pod(ns, "plain", "touch written && exec sleep 3600"), CancellationToken.None);

        var pod = await Pods.WaitAsync(cluster.Client, ns, "plain", Pods.IsReady, "ready");

        var pid = Pods.Pid(Pods.First(pod)!);
        Assert.Equal((Nobody, Nobody, Nobody), await IdsAsync(pid));
        var cwd = new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget!;
        Assert.True(File.Exists(Path.Combine(cwd, "written")), "nobody could write in its working directory " + cwd);
        Assert.False(cwd.StartsWith(cluster.DataDir, StringComparison.Ordinal), cwd);
        Assert.Equal(cwd, cluster.Agent.Pods.FindPod(ns, "plain")!.Find("main")!.WorkingDirectory);
    }

    [Fact]
    public async Task SecurityContexts_OfPodAndContainer_NameTheUserGroupsAndRootOnlyWhenAsked()
    {
        var ns = await cluster.NewNamespaceAsync();
        var pod = cluster.Pod(ns, "contexts", "exec sleep 3600");
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1234, RunAsGroup = 2345, SupplementalGroups = [3456], FsGroup = 4567 };
        pod.Spec.Containers.Add(new V1Container { Name = "own", Image = "busybox", Command = ["sh", "-c", "touch by-own && exec sleep 3600"], SecurityContext = new V1SecurityContext { RunAsUser = 5678 } });
        pod.Spec.Containers.Add(new V1Container { Name = "root", Image = "busybox", Command = ["sh", "-c", "exec sleep 3600"], SecurityContext = new V1SecurityContext { RunAsUser = 0, RunAsGroup = 0 } });
        await cluster.Client.CreateAsync(pod, CancellationToken.None);

        var running = await Pods.WaitAsync(cluster.Client, ns, "contexts", Pods.IsReady, "ready");

        int PidOf(string container) => Pods.Pid(running.Status.ContainerStatuses.Single(s => s.Name == container));
        Assert.Equal(("1234", "2345", "2345 3456 4567"), await IdsAsync(PidOf("main")));
        Assert.Equal(("5678", "2345", "2345 3456 4567"), await IdsAsync(PidOf("own")));
        Assert.Equal(("0", "0", "0 3456 4567"), await IdsAsync(PidOf("root")));

        // The pod's working directory is the pod user's, shared through fsGroup (2770): another user of the pod writes there too.
        var cwd = new DirectoryInfo($"/proc/{PidOf("own")}/cwd").LinkTarget!;
        Assert.True(File.Exists(Path.Combine(cwd, "by-own")), "a container of another user could write in the pod's working directory " + cwd);
        Assert.Equal(cwd, new DirectoryInfo($"/proc/{PidOf("main")}/cwd").LinkTarget);
    }

    [Fact]
    public async Task ExecSessionsProbesAndPreStopHooks_RunAsTheContainersUser()
    {
        var ns = await cluster.NewNamespaceAsync();
        var hookDir = Pods.WritableDirectory("berth-prestop-");
        try
        {
            var pod = cluster.Pod(ns, "user");
            pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1234, RunAsGroup = 2345 };
            var main = pod.Spec.Containers[0];
            main.ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["sh", "-c", "test \"$(id -u):$(id -g)\" = 1234:2345"] }, PeriodSeconds = 1 };
            main.Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["sh", "-c", $"id -u > {hookDir}/uid"] } } };
            await cluster.Client.CreateAsync(pod, CancellationToken.None);

            var ready = await Pods.WaitAsync(cluster.Client, ns, "user", Pods.IsReady, "ready: the exec probe ran as 1234:2345");

            Assert.Equal("1234 2345\n", await cluster.ExecAsync(ns, "user", "sh", "-c", "echo $(id -u) $(id -g)"));
            var denied = await cluster.Kubectl.RunAsync(["exec", "-n", ns, "user", "--", "cat", Path.Combine(cluster.DataDir, "admin.token")]);
            Assert.Equal(1, denied.ExitCode);
            Assert.Contains("Permission denied", denied.Stderr, StringComparison.Ordinal);

            var terminal = new StringBuilder();
            var code = await cluster.Kubernetes.NamespacedPodExecAsync("user", ns, "main", ["id", "-u"], true, async (_, output, _) =>
            {
                terminal.Append(await new StreamReader(output).ReadToEndAsync());
            }, CancellationToken.None);
            Assert.Equal(0, code);
            Assert.Equal("1234", terminal.ToString().Trim());

            await cluster.Client.DeleteAsync<V1Pod>(ns, "user", null, CancellationToken.None);
            var uidFile = Path.Combine(hookDir, "uid");
            await Eventually.TrueAsync(() => File.Exists(uidFile) && File.ReadAllText(uidFile) == "1234\n", "the preStop hook wrote its uid");
            Assert.NotNull(ready);
        }
        finally
        {
            Directory.Delete(hookDir, recursive: true);
        }
    }

    [Fact]
    public async Task RunAsNonRoot_WithRunAsUserZero_FailsTheContainerAsTheKubelet()
    {
        var ns = await cluster.NewNamespaceAsync();
        var pod = cluster.Pod(ns, "nonroot");
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true };
        pod.Spec.Containers[0].SecurityContext = new V1SecurityContext { RunAsUser = 0 };
        var created = await cluster.Client.CreateAsync(pod, CancellationToken.None);

        var failed = await Pods.WaitAsync(cluster.Client, ns, "nonroot", p => Pods.First(p)?.State?.Waiting?.Reason == "CreateContainerConfigError", "CreateContainerConfigError");

        Assert.Equal(
            $"container's runAsUser breaks non-root policy (pod: \"nonroot_{ns}({created!.Metadata.Uid})\", container: main)",
            Pods.First(failed)!.State.Waiting.Message);
        Assert.Equal("Pending", failed.Status.Phase);
    }

    [Fact]
    public async Task APodsProcess_CannotReadTheDataDirectory()
    {
        var ns = await cluster.NewNamespaceAsync();
        var token = Path.Combine(cluster.DataDir, "admin.token");
        var pod = cluster.Pod(ns, "reader", $"cat {token}; ls {cluster.DataDir}; exit 7");
        pod.Spec.RestartPolicy = "Never";
        await cluster.Client.CreateAsync(pod, CancellationToken.None);

        var done = await Pods.WaitAsync(cluster.Client, ns, "reader", p => p.Status?.Phase == "Failed", "failed");

        Assert.Equal(7, Pods.First(done)!.State.Terminated.ExitCode);
        var log = File.ReadAllText(Path.Combine(cluster.DataDir, cluster.NodeName, "pods", done.Metadata.Uid, "main", "0.log"));
        Assert.Contains($"cat: {token}: Permission denied", log, StringComparison.Ordinal);
        Assert.Contains("Permission denied", log.Split('\n')[1], StringComparison.Ordinal);
    }

    /// <summary>
    /// The real uid, real gid and groups (sorted, space-separated) of a container's process once it runs its command
    /// (<c>sleep</c>; before, the pid is the sandbox wrapper's, still root), from /proc; effective and saved ids must match.
    /// </summary>
    private static async Task<(string Uid, string Gid, string Groups)> IdsAsync(int pid)
    {
        await Eventually.TrueAsync(() => File.ReadAllText($"/proc/{pid}/comm") == "sleep\n", $"process {pid} runs sleep");
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        string[] Field(string name) => lines.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        var uids = Field("Uid");
        var gids = Field("Gid");
        Assert.All(uids, u => Assert.Equal(uids[0], u));
        Assert.All(gids, g => Assert.Equal(gids[0], g));
        return (uids[0], gids[0], string.Join(' ', Field("Groups").Order(StringComparer.Ordinal)));
    }
}
