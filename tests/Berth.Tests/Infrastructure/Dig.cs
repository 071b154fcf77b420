using System.Diagnostics;

namespace Berth.Tests.Infrastructure;

/// <summary><c>dig +short</c> from the host against a cluster's DNS (A records).</summary>
internal static class Dig
{
    /// <summary>Asks until the answer is <paramref name="expected"/>: the Service reaches the DNS through a watch.</summary>
    public static async Task<string> UntilAsync(string server, string expected, string transport, string name)
    {
        var watch = Stopwatch.StartNew();
        var answer = "";
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            answer = await AskAsync(server, transport, name);
            if (answer == expected)
            {
                return answer;
            }

            await Task.Delay(100);
        }

        return answer;
    }

    public static async Task<string> AskAsync(string server, string transport, string name)
    {
        var info = new ProcessStartInfo("dig") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[$"@{server}", "+short", "+time=2", "+tries=1", transport, name, "A"])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }
}
