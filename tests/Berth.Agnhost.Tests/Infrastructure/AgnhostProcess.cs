using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Agnhost.Tests.Infrastructure;

/// <summary>
/// <c>dotnet berth.dll agnhost ...</c> (the berth built beside the tests) as the node agent runs it: POD_IP and
/// HOSTNAME in its environment. Disposing kills it by its process id if it still runs.
/// </summary>
internal sealed class AgnhostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private AgnhostProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static AgnhostProcess Start(IPAddress podIP, string hostname, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "berth.dll"));
        info.ArgumentList.Add("agnhost");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["POD_IP"] = podIP.ToString();
        info.Environment["HOSTNAME"] = hostname;
        var process = new Process { StartInfo = info };
        var running = new AgnhostProcess(process);
        process.OutputDataReceived += (_, e) => Append(running._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(running._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Waits until <paramref name="endPoint"/> accepts TCP connections; the time since start.</summary>
    public async Task<TimeSpan> WaitListeningAsync(IPEndPoint endPoint)
    {
        var started = _process.StartTime.ToUniversalTime();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(endPoint);
                return DateTime.UtcNow - started;
            }
            catch (SocketException)
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("berth agnhost did not listen on " + endPoint + ": " + Stderr);
                }

                await Task.Delay(10);
            }
        }
    }

    public async Task WaitForStdoutAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("berth agnhost never printed " + text + ": " + Stdout + Stderr);
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. TERM) with kill(1) to this process only.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sb)
        {
            sb.Append(line).Append('\n');
        }
    }
}
