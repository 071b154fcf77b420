using System.Diagnostics;

namespace Berth.ApiServer.Tests.Infrastructure;

/// <summary>
/// Runs the installed kubectl against a Berth server: always with <c>--kubeconfig</c> naming the file Berth wrote and
/// <c>KUBECONFIG</c> set to the same file, and a private discovery cache, so no other configuration is read or written.
/// </summary>
public sealed class Kubectl
{
    private readonly string _kubeconfig;
    private readonly string _cacheDir;

    public Kubectl(string kubeconfig, string scratchDir)
    {
        _kubeconfig = kubeconfig;
        _cacheDir = Path.Combine(scratchDir, "kubectl-cache");
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(_kubeconfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(_cacheDir);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["KUBECONFIG"] = _kubeconfig;
        info.Environment["HOME"] = Path.GetDirectoryName(_cacheDir)!;
        return info;
    }

    public async Task<Result> RunAsync(string[] args, string? stdin = null, int timeoutSeconds = 60)
    {
        using var process = Process.Start(StartInfo(args))!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {timeoutSeconds}s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result.Stdout;
    }
}
