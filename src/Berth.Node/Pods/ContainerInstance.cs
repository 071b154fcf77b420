using Berth.Node.Probes;
using Berth.Node.Runtime;

namespace Berth.Node.Pods;

/// <summary>
/// One run of a container: its process group, the pumps copying its output into the run's log file, its probe
/// workers, and how it is being stopped. Created and reaped by the pod worker; probe workers and the exit continuation
/// only set fields and wake the worker.
/// </summary>
internal sealed class ContainerInstance
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();
    private Task? _stopping;
    private string? _probeFailure;

    public ContainerInstance(LaunchedProcess process, int runIndex, DateTimeOffset startedAt, ContainerLogWriter log, ProbeTarget target)
    {
        Process = process;
        RunIndex = runIndex;
        StartedAt = startedAt;
        Log = log;
        Target = target;
        LogPumps = Task.WhenAll(log.PumpAsync(process.StandardOutput, "stdout"), log.PumpAsync(process.StandardError, "stderr"));
    }

    public LaunchedProcess Process { get; }

    /// <summary>The run's restart count: its log is <c>&lt;RunIndex&gt;.log</c>.</summary>
    public int RunIndex { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>When the exit was observed (set by the pod worker's exit continuation).</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    public ContainerLogWriter Log { get; }

    public Task LogPumps { get; }

    /// <summary>What probes and exec use: pod IP, container, environment, working directory.</summary>
    public ProbeTarget Target { get; }

    public string ContainerId => "berth://" + Process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Cancelled when the run ends (probe workers stop; streams see the exit).</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    public ProbeWorker? Startup { get; set; }

    public ProbeWorker? Liveness { get; set; }

    public ProbeWorker? Readiness { get; set; }

    /// <summary>True once a startup probe succeeded, or at once without one.</summary>
    public bool Started => Startup is null || Startup.Result == ProbeResult.Success;

    /// <summary>Ready: started and (without a readiness probe) running, or the readiness probe succeeding.</summary>
    public bool Ready => Started && (Readiness is null || Readiness.Result == ProbeResult.Success);

    public bool IsStopping
    {
        get
        {
            lock (_gate)
            {
                return _stopping is not null;
            }
        }
    }

    /// <summary>The event message when a liveness or startup probe failed and the container must be restarted.</summary>
    public string? ProbeFailure
    {
        get => Volatile.Read(ref _probeFailure);
        set => Volatile.Write(ref _probeFailure, value);
    }

    /// <summary>
    /// Stops the run as the kubelet's killContainer: the preStop hook within the grace period, then SIGTERM to the
    /// process group, then SIGKILL once what is left of the grace period (at least 2 s) has passed. A second call
    /// returns the first stop.
    /// </summary>
    public Task StopAsync(TimeSpan grace, Func<TimeSpan, Task>? preStop, TimeProvider time)
    {
        lock (_gate)
        {
            return _stopping ??= StopCoreAsync(grace, preStop, time);
        }
    }

    /// <summary>SIGKILL now (a stop that must end, e.g. the pod is gone from the API).</summary>
    public void Kill() => Process.Signal(Signals.Kill);

    private async Task StopCoreAsync(TimeSpan grace, Func<TimeSpan, Task>? preStop, TimeProvider time)
    {
        var started = time.GetTimestamp();
        if (preStop is not null && grace > TimeSpan.Zero && !Process.Exited.IsCompleted)
        {
            try
            {
                await preStop(grace).WaitAsync(grace, time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The hook may not hold up the stop beyond the grace period.
            }
        }

        var remaining = grace - time.GetElapsedTime(started);
        if (remaining < MinimumGracePeriod)
        {
            remaining = MinimumGracePeriod;
        }

        if (grace > TimeSpan.Zero)
        {
            Process.Signal(Signals.Terminate);
            try
            {
                await Process.Exited.WaitAsync(remaining, time).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException)
            {
            }
        }

        Process.Signal(Signals.Kill);
        await Process.Exited.ConfigureAwait(false);
    }

    /// <summary>The kubelet's minimumGracePeriodInSeconds: SIGTERM is always given this long.</summary>
    public static readonly TimeSpan MinimumGracePeriod = TimeSpan.FromSeconds(2);

    /// <summary>Ends the run's probes and marks it ended for streams.</summary>
    public void End()
    {
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
