using Berth.Client.Http;
using k8s.Models;

namespace Berth.Node.Tests.Integration;

/// <summary>Pod builders and waits for the integration tests.</summary>
internal static class Pods
{
    /// <summary>A pod of one container running <c>sh -c <paramref name="script"/></c>.</summary>
    public static V1Pod Shell(string ns, string name, string script, string restartPolicy = "Always", string? nodeName = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec
        {
            NodeName = nodeName,
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = 2,
            Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["sh", "-c", script] }],
        },
    };

    /// <summary>
    /// A new temporary directory the pods' processes may write to (1777, as /tmp): the agent runs them as
    /// <c>nobody</c> or their securityContext's user, and the test (root) reads what they wrote. The caller deletes it.
    /// </summary>
    public static string WritableDirectory(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x3FF); // 01777
        return dir;
    }

    public static async Task<V1Pod> WaitAsync(HttpApiClient client, string ns, string name, Func<V1Pod, bool> condition, string what, TimeSpan? timeout = null) =>
        await Eventually.ValueAsync(
            async () => await client.GetAsync<V1Pod>(ns, name, CancellationToken.None) is { } pod && condition(pod) ? pod : null,
            $"pod {ns}/{name}: {what}",
            timeout ?? TimeSpan.FromSeconds(30));

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static V1ContainerStatus? First(V1Pod pod) => pod.Status?.ContainerStatuses?.FirstOrDefault();

    /// <summary>The pid of the container's current run (containerID <c>berth://&lt;pid&gt;</c>).</summary>
    public static int Pid(V1ContainerStatus status) =>
        int.Parse(status.ContainerID!["berth://".Length..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The live log of a container run, read from the agent's directory.</summary>
    public static string Log(NodeFixture fixture, string ns, string name, string container = "main", bool previous = false)
    {
        var pod = fixture.Pods.FindPod(ns, name) ?? throw new InvalidOperationException($"pod {ns}/{name} is not on the node");
        var files = pod.Find(container)!.LogFiles(previous);
        return string.Concat(files.Select(f => File.ReadAllText(f)));
    }
}
