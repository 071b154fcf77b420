using BenchmarkDotNet.Attributes;
using Berth.Node.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Benchmarks.PodStart;

/// <summary>
/// What the pod sandbox costs per process start: <see cref="ProcessLauncher.Launch"/> of <c>true</c> until it has
/// exited, as a plain host process and in each <see cref="SandboxMode"/> (the pod's resolv.conf and hosts file
/// bind-mounted over the machine's /etc files, a host name). Privileged needs root.
/// <c>dotnet run -c Release --project bench/Berth.Benchmarks -- --filter '*SandboxLaunch*'</c>
/// </summary>
public class SandboxLaunchBenchmarks
{
    private string _directory = "";
    private ProcessLauncher _launcher = null!;
    private ProcessSpec _spec = null!;

    [Params(SandboxMode.None, SandboxMode.Privileged, SandboxMode.UserNamespace)]
    public SandboxMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("berth-sandbox-bench-").FullName;
        var resolvConf = Path.Combine(_directory, "resolv.conf");
        var hosts = Path.Combine(_directory, "etc-hosts");
        File.WriteAllText(resolvConf, "nameserver 127.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n");
        File.WriteAllText(hosts, "127.0.0.1\tlocalhost\n127.244.0.2\tbench\n");
        var table = Path.Combine(_directory, "fstab");
        File.WriteAllText(table, MountTable.Line(resolvConf, "/etc/resolv.conf") + MountTable.Line(hosts, "/etc/hosts"));
        _launcher = ProcessLauncher.Start(NullLogger.Instance, Mode);
        if (_launcher.Sandboxing.Mode != Mode)
        {
            throw new InvalidOperationException($"{Mode} is not available here: {_launcher.Sandboxing.Limitation}");
        }

        _spec = new ProcessSpec
        {
            FileName = "true",
            WorkingDirectory = _directory,
            Sandbox = Mode == SandboxMode.None ? null : new PodSandbox(table, "bench"),
        };
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _launcher.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public async Task<int> LaunchAndExit()
    {
        var process = _launcher.Launch(_spec);
        await process.StandardOutput.CopyToAsync(Stream.Null);
        return await process.Exited;
    }
}
