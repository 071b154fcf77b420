using System.Globalization;

namespace Berth.Node.Registration;

/// <summary>What the kubelet reports about its machine (cadvisor's machine info, <c>/etc/os-release</c>, uname), read once.</summary>
internal sealed record HostFacts(
    string HostName,
    int Cpus,
    long MemoryKi,
    long? EphemeralStorageKi,
    string OsImage,
    string KernelVersion,
    string Architecture,
    string MachineId,
    string BootId)
{
    public static HostFacts Read(string dataDir) => new(
        System.Net.Dns.GetHostName(),
        Environment.ProcessorCount,
        MemTotalKi(File.Exists("/proc/meminfo") ? File.ReadAllLines("/proc/meminfo") : []),
        StorageKi(dataDir),
        PrettyName(File.Exists("/etc/os-release") ? File.ReadAllLines("/etc/os-release") : []),
        FirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.Version.ToString(),
        GoArch(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture),
        FirstLine("/etc/machine-id") ?? "",
        FirstLine("/proc/sys/kernel/random/boot_id") ?? "");

    /// <summary>The <c>MemTotal</c> line of <c>/proc/meminfo</c> (kB, which the kernel means as KiB).</summary>
    public static long MemTotalKi(IEnumerable<string> meminfo) => MeminfoKi(meminfo, "MemTotal");

    /// <summary>One field of <c>/proc/meminfo</c> (kB, which the kernel means as KiB); 0 when it is missing.</summary>
    public static long MeminfoKi(IEnumerable<string> meminfo, string field)
    {
        ArgumentNullException.ThrowIfNull(meminfo);
        var prefix = field + ":";
        foreach (var line in meminfo)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(line[prefix.Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ki))
            {
                return ki;
            }
        }

        return 0;
    }

    /// <summary><c>PRETTY_NAME</c> of os-release (as the kubelet's <c>osImage</c>), else "Linux".</summary>
    public static string PrettyName(IEnumerable<string> osRelease)
    {
        foreach (var line in osRelease)
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim().Trim('"');
            }
        }

        return "Linux";
    }

    /// <summary>Go's GOARCH names, which Kubernetes uses for <c>kubernetes.io/arch</c>.</summary>
    public static string GoArch(System.Runtime.InteropServices.Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    private static long? StorageKi(string dataDir)
    {
        try
        {
            var dir = new DirectoryInfo(Path.GetFullPath(dataDir));
            while (dir is { Exists: false })
            {
                dir = dir.Parent;
            }

            return dir is null ? null : new DriveInfo(dir.FullName).TotalSize / 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static string? FirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
