using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Benchmarks.PodStart;

/// <summary>
/// One <c>berth</c> command (<c>server</c>, <c>agent</c>) as a child process, <c>dotnet berth.dll …</c> of the Release
/// build, so its memory is its own (/proc/PID). Stopped with SIGTERM (the agent then stops its pods), SIGKILL after a
/// timeout, by its own PID only.
/// </summary>
internal sealed class BerthProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _name;
    private readonly ConcurrentQueue<string> _lines = new();

    private BerthProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        _process.OutputDataReceived += (_, e) => Receive(e.Data);
        _process.ErrorDataReceived += (_, e) => Receive(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>
    /// <c>$BERTH_DLL</c> (to compare two builds), else the Release build of <c>src/Berth</c> in the repository this
    /// benchmark runs from.
    /// </summary>
    public static string LocateBerthDll()
    {
        if (Environment.GetEnvironmentVariable("BERTH_DLL") is { Length: > 0 } given)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException("BERTH_DLL: no such file", given);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Berth", "bin", "Release", "net10.0", "berth.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"build berth first: dotnet build -c Release src/Berth ({dll})");
            }
        }

        throw new DirectoryNotFoundException("Berth.slnx not found above " + AppContext.BaseDirectory);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>dotnet <paramref name="berthDll"/> <paramref name="args"/></c>; returns once it printed <paramref name="readyText"/>.</summary>
    public static async Task<BerthProcess> StartAsync(string name, string berthDll, string readyText, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(berthDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = new BerthProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start " + name), name);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!process._lines.Any(l => l.Contains(readyText, StringComparison.Ordinal)))
            {
                if (process._process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(90))
                {
                    throw new InvalidOperationException($"{name} did not print '{readyText}':\n{string.Join('\n', process._lines)}");
                }

                await Task.Delay(50);
            }

            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{_name}: no exit {timeout.TotalSeconds:F0} s after SIGTERM; SIGKILL");
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        _lines.Enqueue(line);
        if (!line.StartsWith("berth:", StringComparison.Ordinal))
        {
            Console.Error.WriteLine(_name + ": " + line); // warnings and errors of the process
        }
    }
}
