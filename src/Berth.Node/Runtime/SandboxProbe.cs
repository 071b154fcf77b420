using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Berth.Node.Runtime;

/// <summary>
/// Finds out which <see cref="SandboxMode"/> works here by running the real wrapper once per mode: a file bind-mounted
/// over another and a host name, read back from inside. Root gets <see cref="SandboxMode.Privileged"/> (or none); an
/// unprivileged agent gets <see cref="SandboxMode.UserNamespace"/> where the kernel allows unprivileged user namespaces
/// (not, e.g., with <c>kernel.apparmor_restrict_unprivileged_userns=1</c>, <c>user.max_user_namespaces=0</c> or a
/// container's seccomp profile), else <see cref="SandboxMode.None"/>.
/// </summary>
internal static class SandboxProbe
{
    private const string Content = "berth sandbox probe\n";
    private const string ProbeHostname = "berth-sandbox-probe";
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);

    /// <param name="wanted">One mode to try (tests), or null for the best that works.</param>
    /// <param name="tools">The wrapper's tools.</param>
    public static SandboxSupport Detect(SandboxMode? wanted, SandboxTools tools)
    {
        if (wanted == SandboxMode.None)
        {
            return new SandboxSupport(SandboxMode.None, "pod namespaces are turned off") { Tools = tools };
        }

        var failures = new List<string>();
        // A root agent runs its pods as other users (setpriv), which a user namespace mapping only the agent's uid
        // cannot give: root gets the privileged sandbox or none.
        var modes = wanted is { } only ? [only]
            : Environment.IsPrivilegedProcess ? [SandboxMode.Privileged]
            : new[] { SandboxMode.Privileged, SandboxMode.UserNamespace };
        foreach (var mode in modes)
        {
            var support = new SandboxSupport(mode, null) { Tools = tools };
            var failure = Try(support);
            if (failure is null)
            {
                return failures.Count == 0 ? support : support with { Limitation = string.Join("; ", failures) };
            }

            failures.Add(Describe(mode) + ": " + failure);
        }

        return new SandboxSupport(SandboxMode.None, string.Join("; ", failures)) { Tools = tools };
    }

    private static string Describe(SandboxMode mode) => mode == SandboxMode.Privileged ? "mount namespace" : "unprivileged user namespace";

    /// <returns>Null when the mode works, else what went wrong.</returns>
    private static string? Try(SandboxSupport support)
    {
        if (support.Tools.Missing(support.Mode) is { Count: > 0 } missing)
        {
            return "not found in PATH: " + string.Join(", ", missing);
        }

        var dir = Path.Combine(Path.GetTempPath(), "berth-sandbox-probe-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var source = Path.Combine(dir, "source");
            var target = Path.Combine(dir, "target");
            var table = Path.Combine(dir, "mounts");
            File.WriteAllText(source, Content);
            File.WriteAllText(target, string.Empty);
            File.WriteAllText(table, MountTable.Line(source, target));

            var start = new ProcessStartInfo("setsid")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dir,
            };
            SandboxCommand.AddTo(start.ArgumentList, support, new PodSandbox(table, ProbeHostname));
            start.ArgumentList.Add(SandboxTools.Shell);
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("cat \"$0\" && cat /proc/sys/kernel/hostname");
            start.ArgumentList.Add(target);

            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(_timeout))
            {
                process.Kill();
                return "the probe did not finish within " + _timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s";
            }

            var expected = Content + ProbeHostname + "\n";
            return process.ExitCode == 0 && output.Result == expected
                ? null
                : (error.Result.Trim() is { Length: > 0 } message ? message : "exit code " + process.ExitCode.ToString(CultureInfo.InvariantCulture)).ReplaceLineEndings(" ");
        }
        catch (Exception e) when (e is Win32Exception or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
