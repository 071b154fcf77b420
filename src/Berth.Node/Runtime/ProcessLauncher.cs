using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Runtime;

/// <summary>
/// Starts host processes, each the leader of a new session (so of its own process group), and makes sure none of
/// them outlives the agent — also when the agent is killed with SIGKILL and runs no code at all.
/// </summary>
/// <remarks>
/// <para>
/// Processes are started through util-linux <c>setsid</c>, which calls <c>setsid(2)</c> and then <c>exec</c>s the
/// command, so the pid the agent sees is the process's own and equals its process-group id. Signalling the group
/// (<c>kill(-pgid)</c>) reaches every process the container forked.
/// </para>
/// <para>
/// The reaper is one small <c>sh</c> process per agent, in its own session (a Ctrl-C on the agent's terminal does not
/// reach it). The agent writes <c>+pgid</c> / <c>-pgid</c> lines to its stdin as groups come and go. When that pipe
/// reaches end of file — the agent exited, however it exited, because the kernel closes the write end — the reaper
/// sends SIGKILL to every group still listed and exits (or to the process itself when it has not reached
/// <c>setsid(2)</c> yet, so its group does not exist). <c>PR_SET_PDEATHSIG</c> alone would not do: it only reaches
/// the direct child, and .NET starts children from thread-pool threads whose exit would fire it.
/// </para>
/// <para>
/// A process with a <see cref="ProcessSpec.Sandbox"/> runs in the pod's own mount and UTS namespaces
/// (<see cref="SandboxCommand"/>): <c>setsid unshare … sh -c '…; exec "$@"' …</c>, only <c>exec</c>s, so the pid is
/// still the command's own. Which mode this machine allows is found out once, at the first use of
/// <see cref="Sandboxing"/> (<see cref="SandboxProbe"/>).
/// </para>
/// <para>
/// A process with a <see cref="ProcessSpec.User"/> gets <c>setpriv --reuid --regid --groups --</c> right before its
/// command, after the sandbox's steps that need root; <c>setpriv</c> only <c>exec</c>s too.
/// </para>
/// </remarks>
public sealed class ProcessLauncher : IAsyncDisposable
{
    /// <summary>The PATH a container gets when its environment has none (the usual image default).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const string ReaperScript = """
        trap '' INT TERM HUP QUIT
        groups=' '
        while IFS= read -r line; do
          case "$line" in
            +*) groups="$groups${line#+} " ;;
            -*) g="${line#-}"
                case "$groups" in *" $g "*) groups="${groups%% $g *} ${groups#* $g }" ;; esac ;;
          esac
        done
        for g in $groups; do kill -9 "-$g" 2>/dev/null || kill -9 "$g" 2>/dev/null; done
        exit 0
        """;

    private readonly Process _reaper;
    private readonly StreamWriter _reaperInput;
    private readonly Lock _reaperLock = new();
    private readonly ILogger _logger;
    private readonly Lazy<SandboxSupport> _sandboxing;
    private bool _disposed;

    private ProcessLauncher(Process reaper, ILogger logger, SandboxMode? sandbox)
    {
        _reaper = reaper;
        _reaperInput = reaper.StandardInput;
        _reaperInput.AutoFlush = true;
        _logger = logger;
        _sandboxing = new Lazy<SandboxSupport>(() => SandboxProbe.Detect(sandbox, SandboxTools.Find()));
    }

    /// <summary>Starts the reaper; the launcher is then ready.</summary>
    public static ProcessLauncher Start(ILogger logger) => Start(logger, sandbox: null);

    /// <summary>Starts the reaper; the launcher is then ready.</summary>
    /// <param name="logger">Where reaper failures go.</param>
    /// <param name="sandbox">The one <see cref="SandboxMode"/> to use for pod sandboxes (tests), or null for the best this machine allows.</param>
    public static ProcessLauncher Start(ILogger logger, SandboxMode? sandbox)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("/bin/sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ReaperScript);
        var reaper = Process.Start(start) ?? throw new InvalidOperationException("could not start the process reaper");
        return new ProcessLauncher(reaper, logger, sandbox);
    }

    /// <summary>The pid of the reaper process (tests check it ends with the agent).</summary>
    public int ReaperPid => _reaper.Id;

    /// <summary>How processes with a <see cref="ProcessSpec.Sandbox"/> are run here (found out at the first use: a few ms).</summary>
    public SandboxSupport Sandboxing => _sandboxing.Value;

    /// <summary>
    /// Finds <paramref name="fileName"/> as <c>execvp</c> would with the container's <c>PATH</c>: a name with a slash
    /// is taken relative to <paramref name="workingDirectory"/>; a bare name is searched in <paramref name="path"/>.
    /// Returns <c>null</c> when no executable file is found.
    /// </summary>
    public static string? ResolveExecutable(string fileName, string? path, string workingDirectory)
    {
        if (fileName.Length == 0)
        {
            return null;
        }

        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(fileName, workingDirectory);
            return IsExecutableFile(full) ? full : null;
        }

        foreach (var dir in (path ?? DefaultPath).Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? workingDirectory : dir, fileName);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts <paramref name="spec"/>; throws <see cref="ProcessStartException"/> when it cannot start.</summary>
    public LaunchedProcess Launch(ProcessSpec spec)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Directory.Exists(spec.WorkingDirectory))
        {
            throw new ProcessStartException($"chdir to cwd (\"{spec.WorkingDirectory}\") set in config.json failed: no such file or directory");
        }

        var path = spec.Environment.LastOrDefault(e => e.Key == "PATH").Value;
        var executable = ResolveExecutable(spec.FileName, path, spec.WorkingDirectory)
            ?? throw new ProcessStartException($"exec: \"{spec.FileName}\": executable file not found in $PATH");

        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // never the agent's own stdin; closed at once unless the caller wants it
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory,
        };
        if (spec.Sandbox is { } sandbox && Sandboxing.Mode != SandboxMode.None)
        {
            SandboxCommand.AddTo(start.ArgumentList, Sandboxing, sandbox);
        }

        if (spec.Sandbox is not null && Sandboxing.Mode == SandboxMode.UserNamespace && spec.User is { } other)
        {
            // Only the agent's own ids are mapped in that namespace (and setgroups is denied there): the process keeps them.
            if (other.Uid != Posix.EffectiveUserId)
            {
                throw new ProcessStartException($"the user-namespace sandbox maps only the node agent's own uid; it cannot run the process as {other}");
            }
        }
        else if (spec.User is { } user)
        {
            var setpriv = Sandboxing.Tools.Setpriv
                ?? throw new ProcessStartException("setpriv (util-linux) is not in the node agent's PATH: cannot run the process as " + user);
            user.AddSetprivTo(start.ArgumentList, setpriv);
        }

        start.ArgumentList.Add(executable);
        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            start.Environment[name] = value;
        }

        if (!start.Environment.ContainsKey("PATH"))
        {
            start.Environment["PATH"] = DefaultPath;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ProcessStartException($"could not start {executable}");
        }
        catch (Win32Exception e)
        {
            throw new ProcessStartException($"exec: \"{spec.FileName}\": {e.Message}", e);
        }

        Register(process.Id);
        Stream? stdin = null;
        if (spec.RedirectStandardInput)
        {
            stdin = process.StandardInput.BaseStream;
        }
        else
        {
            process.StandardInput.Close();
        }

        // Everything is read from the Process before WaitAsync may dispose it.
        var pid = process.Id;
        var stdout = process.StandardOutput.BaseStream;
        var stderr = process.StandardError.BaseStream;
        return new LaunchedProcess(pid, stdout, stderr, stdin, WaitAsync(process));
    }

    private async Task<int> WaitAsync(Process process)
    {
        var pid = process.Id;
        await process.WaitForExitAsync().ConfigureAwait(false);
        var code = process.ExitCode;
        // The main process is gone; whatever it left behind in its group goes with it.
        Signals.SignalGroup(pid, Signals.Kill);
        Unregister(pid);
        process.Dispose();
        return code;
    }

    private void Register(int processGroup) => WriteReaper("+" + processGroup);

    private void Unregister(int processGroup) => WriteReaper("-" + processGroup);

    private void WriteReaper(string line)
    {
        lock (_reaperLock)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                _reaperInput.WriteLine(line);
            }
            catch (IOException e)
            {
                _logger.LogError(6000, e, "The process reaper is gone; processes may outlive the agent");
            }
        }
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            return File.Exists(path)
                && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Closes the reaper's input: it kills every process group still registered and exits. Call after the agent has
    /// stopped its pods gracefully; anything left is killed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_reaperLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _reaperInput.Dispose();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _reaper.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning(6001, "The process reaper did not exit within 10 s");
        }

        _reaper.Dispose();
    }
}
