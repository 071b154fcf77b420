using System.Net;
using Berth.Agnhost.Signals;

namespace Berth.Agnhost;

/// <summary>
/// What a subcommand takes from its surroundings. <see cref="FromEnvironment"/> reads the pod's environment
/// (<c>POD_IP</c>, <c>HOSTNAME</c>); tests build one directly so nothing process-wide is touched.
/// </summary>
internal sealed class AgnhostOptions
{
    /// <summary>The pod IP every listener binds to (and outgoing loopback dials come from); null: any address.</summary>
    public IPAddress? PodIP { get; init; }

    /// <summary>What <c>/hostname</c> and friends answer.</summary>
    public string Hostname { get; init; } = "localhost";

    public TextWriter Out { get; init; } = TextWriter.Null;

    /// <summary>Where Go's <c>log</c> lines go (agnhost logs to stderr).</summary>
    public TextWriter Error { get; init; } = TextWriter.Null;

    public ISignalSource Signals { get; init; } = PosixSignalSource.Instance;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The shell <c>/shell</c> runs commands with.</summary>
    public string ShellPath { get; init; } = "/bin/sh";

    /// <summary>Told each bound socket: <c>("http" | "tcp" | "udp", endpoint)</c>; lets tests use port 0.</summary>
    public Action<string, IPEndPoint>? Listening { get; init; }

    /// <summary>The bind address: the pod IP, else 0.0.0.0.</summary>
    public IPAddress BindAddress => PodIP ?? IPAddress.Any;

    public static AgnhostOptions FromEnvironment() => new()
    {
        PodIP = IPAddress.TryParse(Environment.GetEnvironmentVariable("POD_IP"), out var ip) ? ip : null,
        Hostname = Environment.GetEnvironmentVariable("HOSTNAME") is { Length: > 0 } hostname ? hostname : OsHostname(),
        Out = Console.Out,
        Error = Console.Error,
    };

    /// <summary>Go's <c>os.Hostname</c> reads the kernel's name (Environment.MachineName would cut it at a dot).</summary>
    private static string OsHostname()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/hostname").Trim();
        }
        catch (IOException)
        {
            return Dns.GetHostName();
        }
        catch (UnauthorizedAccessException)
        {
            return Dns.GetHostName();
        }
    }
}
