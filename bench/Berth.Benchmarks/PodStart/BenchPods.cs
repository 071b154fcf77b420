using k8s.Models;

namespace Berth.Benchmarks.PodStart;

/// <summary>The two kinds of pod measured: a process that listens at once behind a readiness probe, and a bare command.</summary>
internal static class BenchPods
{
    public const string Agnhost = "agnhost";
    public const string Sleep = "sleep";

    /// <summary>A pod of <paramref name="variant"/> named <paramref name="name"/>, labelled with its <paramref name="run"/>; nodeName unset.</summary>
    public static V1Pod Create(string variant, string name, string run)
    {
        var container = variant switch
        {
            // The built-in agnhost image: a .NET process start, listening on POD_IP:8080 at once; Ready by its probe.
            Agnhost => new V1Container
            {
                Name = "netexec",
                Image = "berth/agnhost",
                Args = ["netexec", "--http-port=8080", "--udp-port=-1"],
                ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 8080 }, PeriodSeconds = 1 },
            },

            // No probe: Ready as soon as it runs, so only the control plane and the agent are measured.
            Sleep => new V1Container { Name = "sleep", Image = "busybox", Command = ["sleep", "3600"] },
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "agnhost or sleep"),
        };
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["run"] = run } },
            Spec = new V1PodSpec { Containers = [container], TerminationGracePeriodSeconds = 2 },
        };
    }
}
