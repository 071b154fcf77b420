using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Tests.Infrastructure;

/// <summary>
/// One <c>berth</c> command (<c>up</c>, <c>server</c>, <c>agent</c>) as a real process: <c>dotnet berth.dll …</c> from
/// the test's output folder. Disposing stops it with SIGTERM (then SIGKILL) by its own pid.
/// </summary>
public sealed class BerthCommand : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Task _pump;

    private BerthCommand(Process process, string dataDir)
    {
        _process = process;
        DataDir = dataDir;
        _pump = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public string DataDir { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig.yaml");

    /// <summary>What <c>berth up</c> and <c>berth server</c> print once ready (<c>berth: ready in 0.8 s</c>; the agent's: <c>berth: node ready in …</c>).</summary>
    public const string ReadyText = " ready in ";

    /// <summary>The lines printed so far.</summary>
    public int LineCount => _output.Count;

    /// <summary>Everything the process printed so far (stdout and stderr interleaved).</summary>
    public string Output => string.Join('\n', _output);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>berth <paramref name="args"/></c> and waits for a line containing <paramref name="readyText"/>.</summary>
    public static async Task<BerthCommand> StartAsync(string dataDir, string readyText, params string[] args)
    {
        var command = new BerthCommand(Process.Start(StartInfo(args))!, dataDir);
        try
        {
            await command.WaitForOutputAsync(readyText, TimeSpan.FromSeconds(90));
            return command;
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <c>berth <paramref name="args"/></c> to its end (killed after <paramref name="timeout"/>): exit code and output.</summary>
    public static Task<BerthRun> RunAsync(TimeSpan timeout, params string[] args) => RunAsync(timeout, null, null, args);

    /// <summary>
    /// Runs <c>berth <paramref name="args"/></c> to its end with <paramref name="input"/> on its standard input and
    /// <paramref name="environment"/> added to its environment.
    /// </summary>
    public static async Task<BerthRun> RunAsync(TimeSpan timeout, string? input, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = StartInfo(args);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        return new BerthRun(process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo StartInfo(string[] args)
    {
        // Through env(1), which execs dotnet in the same process (same pid) with SIGINT's default disposition: a test
        // run started in the background of a shell inherits SIGINT ignored, and .NET keeps an ignored SIGINT ignored.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "berth.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!_output.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited)
            {
                await _pump.WaitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"berth exited with {_process.ExitCode} before printing '{text}':\n{Output}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"berth did not print '{text}' within {timeout}:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the process printed at least <paramref name="count"/> lines.</summary>
    public async Task WaitForLinesAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (_output.Count < count)
        {
            if (_process.HasExited)
            {
                await _pump.WaitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"berth exited with {_process.ExitCode} before printing {count} lines:\n{Output}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"berth did not print {count} lines within {timeout}:\n{Output}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Starts <c>berth <paramref name="args"/></c> without waiting for anything.</summary>
    public static BerthCommand Start(string dataDir, params string[] args) => new(Process.Start(StartInfo(args))!, dataDir);

    /// <summary>Waits until the process ended and its output is read whole.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        await _pump.WaitAsync(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no code of berth runs.</summary>
    public async Task KillHardAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM and the exit code, or SIGKILL after <paramref name="timeout"/>.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Signal("TERM");
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                await KillHardAsync();
            }
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIG<paramref name="name"/> (TERM, INT) to the process, by its pid.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        await _pump.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } text)
        {
            _output.Enqueue(text);
        }
    }
}
