using System.Diagnostics;
using Berth.Node.Resolver;
using Berth.Node.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Tests.Runtime;

/// <summary>
/// The sandbox wrapper with real processes: the pod's files over the host's real /etc/resolv.conf and /etc/hosts, its
/// host name, the pid and process group kept, and the host left as it was. The privileged mode needs root (CI runs as
/// root); the unprivileged one is run as <c>nobody</c> through <c>setpriv</c>.
/// </summary>
public sealed class SandboxTests : IDisposable
{
    private const string Report = "echo pid=$$ pgid=$(cut -d' ' -f5 /proc/$$/stat); cat /etc/resolv.conf /etc/hosts /proc/sys/kernel/hostname; grep CapEff /proc/self/status; id -u";

    // A space in the path: the mount table must escape it.
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "berth sandbox " + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _hostResolvConf = File.ReadAllText("/etc/resolv.conf");
    private readonly string _hostHosts = File.ReadAllText("/etc/hosts");
    private readonly string _hostName = File.ReadAllText("/proc/sys/kernel/hostname");

    public SandboxTests()
    {
        Directory.CreateDirectory(_dir);
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101); // nobody reads it in the unprivileged test
    }

    private PodSandbox WritePodFiles(string hostname)
    {
        var resolvConf = Path.Combine(_dir, "resolv.conf");
        var hosts = Path.Combine(_dir, "etc-hosts");
        File.WriteAllText(resolvConf, "nameserver 127.96.0.10\n");
        File.WriteAllText(hosts, "127.0.0.1\tlocalhost\n127.244.0.7\t" + hostname + "\n");
        var table = Path.Combine(_dir, "fstab");
        File.WriteAllText(table, MountTable.Line(resolvConf, PodResolverFiles.MountTarget("/etc/resolv.conf")!) + MountTable.Line(hosts, PodResolverFiles.MountTarget("/etc/hosts")!));
        return new PodSandbox(table, hostname);
    }

    [Theory]
    [InlineData(SandboxMode.Privileged, "web-0")]
    [InlineData(SandboxMode.UserNamespace, "web-1")]
    public async Task PodFilesAndHostname_ReplaceTheHosts_InThatProcessOnly_AndThePidIsTheCommands(SandboxMode mode, string hostname)
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance, mode);
        Assert.True(mode != SandboxMode.Privileged || Environment.IsPrivilegedProcess, "the privileged sandbox needs root (CI runs as root)");
        Assert.Equal(mode, launcher.Sandboxing.Mode);

        var process = launcher.Launch(new ProcessSpec { FileName = "sh", Arguments = ["-c", Report], WorkingDirectory = _dir, Sandbox = WritePodFiles(hostname) });

        var output = await new StreamReader(process.StandardOutput).ReadToEndAsync();
        Assert.Equal(0, await process.Exited);
        Assert.StartsWith($"pid={process.Pid} pgid={process.Pid}\nnameserver 127.96.0.10\n127.0.0.1\tlocalhost\n127.244.0.7\t{hostname}\n{hostname}\n", output, StringComparison.Ordinal);
        AssertHostUntouched();
    }

    [Theory]
    [InlineData(SandboxMode.Privileged)]
    [InlineData(SandboxMode.None)]
    public async Task AUser_IsSetAfterTheSandboxsSteps_AndThePidStaysTheCommands(SandboxMode mode)
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance, mode);
        Assert.True(Environment.IsPrivilegedProcess, "switching users needs root (CI runs as root)");
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // only root reads the pod files

        var process = launcher.Launch(new ProcessSpec
        {
            FileName = "sh",
            Arguments = ["-c", "echo pid=$$ pgid=$(cut -d' ' -f5 /proc/$$/stat); head -1 /etc/resolv.conf; hostname; grep -E '^(Uid|Gid|Groups|CapEff)' /proc/self/status"],
            WorkingDirectory = _dir,
            Sandbox = WritePodFiles("web-7"),
            User = new ProcessUser(1234, 2345, [2345, 3456]),
        });

        var output = await new StreamReader(process.StandardOutput).ReadToEndAsync();
        Assert.Equal(0, await process.Exited);
        var pod = mode == SandboxMode.Privileged ? "nameserver 127.96.0.10\nweb-7\n" : _hostResolvConf.Split('\n')[0] + "\n" + _hostName;
        Assert.Equal(
            $"pid={process.Pid} pgid={process.Pid}\n{pod}Uid:\t1234\t1234\t1234\t1234\nGid:\t2345\t2345\t2345\t2345\nGroups:\t2345 3456 \nCapEff:\t0000000000000000\n",
            output);
        AssertHostUntouched();
    }

    [Fact]
    public async Task UserNamespace_AsAnUnprivilegedUser_Works_KeepsTheUid_AndDropsTheCapabilities()
    {
        var support = new SandboxSupport(SandboxMode.UserNamespace, null);
        var sandbox = WritePodFiles("web-2");

        var (code, output, error) = await RunAsNobodyAsync(support, sandbox);

        Assert.True(code == 0, error);
        Assert.Equal("nameserver 127.96.0.10\n127.0.0.1\tlocalhost\n127.244.0.7\tweb-2\nweb-2\nCapEff:\t0000000000000000\n65534\n", output[(output.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        AssertHostUntouched();
    }

    [Fact]
    public async Task Privileged_AsAnUnprivilegedUser_IsRefused()
    {
        var (code, _, error) = await RunAsNobodyAsync(new SandboxSupport(SandboxMode.Privileged, null), WritePodFiles("web-3"));

        Assert.NotEqual(0, code);
        Assert.Contains("unshare failed: Operation not permitted", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task None_RunsOnTheHost_AndSaysWhy()
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance, SandboxMode.None);

        var process = launcher.Launch(new ProcessSpec { FileName = "cat", Arguments = ["/etc/resolv.conf"], WorkingDirectory = _dir, Sandbox = WritePodFiles("web-4") });

        Assert.Equal(_hostResolvConf, await new StreamReader(process.StandardOutput).ReadToEndAsync());
        Assert.Equal(0, await process.Exited);
        Assert.Equal("pod namespaces are turned off", launcher.Sandboxing.Limitation);
    }

    [Fact]
    public async Task AMissingMountTarget_EndsTheProcessWithExitCode128_AndTheMountError()
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance, SandboxMode.Privileged);
        var table = Path.Combine(_dir, "broken-fstab");
        File.WriteAllText(table, MountTable.Line(Path.Combine(_dir, "no-such-file"), "/etc/resolv.conf"));

        var process = launcher.Launch(new ProcessSpec { FileName = "true", WorkingDirectory = _dir, Sandbox = new PodSandbox(table, "web-5") });

        var error = await new StreamReader(process.StandardError).ReadToEndAsync();
        Assert.Equal(128, await process.Exited);
        Assert.Contains("mount", error, StringComparison.Ordinal);
        AssertHostUntouched();
    }

    [Fact]
    public void MountTarget_FollowsSymbolicLinks_AndIsNullForADanglingOne()
    {
        var file = Path.Combine(_dir, "stub-resolv.conf");
        File.WriteAllText(file, "nameserver 127.0.0.53\n");
        var link = Path.Combine(_dir, "resolv.conf-link");
        var chain = Path.Combine(_dir, "resolv.conf-chain");
        var dangling = Path.Combine(_dir, "resolv.conf-dangling");
        File.CreateSymbolicLink(link, file);
        File.CreateSymbolicLink(chain, link);
        File.CreateSymbolicLink(dangling, Path.Combine(_dir, "gone"));

        Assert.Equal(file, PodResolverFiles.MountTarget(chain));
        Assert.Equal(file, PodResolverFiles.MountTarget(file));
        Assert.Null(PodResolverFiles.MountTarget(dangling));
        Assert.Null(PodResolverFiles.MountTarget(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public async Task ASymlinkedTarget_IsMountedThroughTheLink()
    {
        await using var launcher = ProcessLauncher.Start(NullLogger.Instance, SandboxMode.Privileged);
        var stub = Path.Combine(_dir, "stub-resolv.conf");
        var link = Path.Combine(_dir, "resolv.conf-link");
        var pod = Path.Combine(_dir, "pod-resolv.conf");
        File.WriteAllText(stub, "nameserver 127.0.0.53\n");
        File.WriteAllText(pod, "nameserver 127.96.0.10\n");
        File.CreateSymbolicLink(link, stub);
        var table = Path.Combine(_dir, "link-fstab");
        File.WriteAllText(table, MountTable.Line(pod, PodResolverFiles.MountTarget(link)!));

        var process = launcher.Launch(new ProcessSpec { FileName = "cat", Arguments = [link], WorkingDirectory = _dir, Sandbox = new PodSandbox(table, null) });

        Assert.Equal("nameserver 127.96.0.10\n", await new StreamReader(process.StandardOutput).ReadToEndAsync());
        Assert.Equal(0, await process.Exited);
        Assert.Equal("nameserver 127.0.0.53\n", File.ReadAllText(link));
    }

    /// <summary>The wrapper as <c>nobody</c> (uid 65534): what an agent without privilege runs.</summary>
    private async Task<(int Code, string Output, string Error)> RunAsNobodyAsync(SandboxSupport support, PodSandbox sandbox)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _dir };
        foreach (var argument in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--", "setsid" })
        {
            start.ArgumentList.Add(argument);
        }

        SandboxCommand.AddTo(start.ArgumentList, support, sandbox);
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Report);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private void AssertHostUntouched()
    {
        Assert.Equal(_hostResolvConf, File.ReadAllText("/etc/resolv.conf"));
        Assert.Equal(_hostHosts, File.ReadAllText("/etc/hosts"));
        Assert.Equal(_hostName, File.ReadAllText("/proc/sys/kernel/hostname"));
        Assert.DoesNotContain(_dir.Replace(" ", "\\040", StringComparison.Ordinal), File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
