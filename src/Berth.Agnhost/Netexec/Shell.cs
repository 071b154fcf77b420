using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Berth.Agnhost.Netexec;

/// <summary>
/// <c>exec.Command("/bin/sh", "-c", cmd).CombinedOutput()</c>: stdin is /dev/null, stdout and stderr are gathered
/// into one text in arrival order, a non-zero exit is the error <c>exit status N</c>.
/// </summary>
internal static class Shell
{
    public static async Task<(string Output, string? Error)> RunAsync(string shellPath, string command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(shellPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception)
        {
            return (string.Empty, "fork/exec " + shellPath + ": no such file or directory");
        }

        using (process)
        {
            process.StandardInput.Close();
            var combined = new MemoryStream();
            try
            {
                await Task.WhenAll(
                    CopyAsync(process.StandardOutput.BaseStream, combined, cancellationToken),
                    CopyAsync(process.StandardError.BaseStream, combined, cancellationToken)).ConfigureAwait(false);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var output = Encoding.UTF8.GetString(combined.GetBuffer(), 0, (int)combined.Length);
            return (output, process.ExitCode == 0 ? null : "exit status " + process.ExitCode.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static async Task CopyAsync(Stream from, MemoryStream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int n;
        while ((n = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            lock (to)
            {
                to.Write(buffer, 0, n);
            }
        }
    }
}
