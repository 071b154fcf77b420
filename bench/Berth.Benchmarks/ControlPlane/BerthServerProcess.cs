using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Benchmarks.ControlPlane;

/// <summary>
/// The real <c>berth server</c> (API server + every controller) as a child process on a free port with its own data
/// directory, so its memory is measured alone (/proc/PID/status). Stopped by its PID only.
/// </summary>
internal sealed class BerthServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private BerthServerProcess(Process process, string dataDir, int port)
    {
        _process = process;
        DataDir = dataDir;
        Port = port;
    }

    public string DataDir { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>dotnet berth.dll server</c> (with <paramref name="extraArgs"/>) and waits for its ready line (<c>berth: ready in …</c>).</summary>
    public static async Task<BerthServerProcess> StartAsync(string berthDll, string dataDir, int? port = null, params string[] extraArgs)
    {
        var chosen = port ?? FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { berthDll, "server", "--data-dir", dataDir, "--api-port", chosen.ToString(CultureInfo.InvariantCulture), "--log-level", "Information" }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start berth");
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains(" ready in ", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
            else if (e.Data is { Length: > 0 } line && !line.StartsWith("berth:", StringComparison.Ordinal))
            {
                Console.Error.WriteLine("berth: " + line); // the server's log (warnings and errors)
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("berth: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BerthServerProcess(process, dataDir, chosen);
        if (await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(5))) != listening.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException("berth server did not start");
        }

        return server;
    }

    /// <summary>src/Berth's Release build, found from this benchmark's output directory upwards.</summary>
    public static string? FindBerthDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Berth", "bin", "Release", "net10.0", "berth.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>A field of /proc/PID/status in KiB (VmRSS, VmHWM, RssAnon, …).</summary>
    public static long StatusKib(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>CPU time (user + system) the process has used so far, from /proc/PID/stat.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        // Fields after the parenthesised command name: state is 3rd, utime 14th, stime 15th (proc(5)).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>Waits until the process uses less than <paramref name="share"/> of one core over 2 s; how long that took.</summary>
    public async Task<TimeSpan> WaitQuietAsync(double share, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var before = CpuTime(Pid);
            await Task.Delay(TimeSpan.FromSeconds(2));
            if ((CpuTime(Pid) - before).TotalSeconds / 2 < share)
            {
                break;
            }
        }

        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
