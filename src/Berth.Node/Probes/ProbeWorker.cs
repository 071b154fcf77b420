using k8s.Models;

namespace Berth.Node.Probes;

/// <summary>
/// Probes one container instance periodically for one probe kind, as pkg/kubelet/prober/worker.go: results count
/// towards <c>successThreshold</c>/<c>failureThreshold</c> before they change the worker's result; readiness starts as
/// failure, liveness as success, startup as unknown; liveness and readiness wait until the startup probe succeeded;
/// after a liveness or startup failure the worker holds (the container will be restarted and gets new workers).
/// One async loop with timer waits, no thread.
/// </summary>
/// <remarks>
/// Deliberate differences: the first probe runs <c>initialDelaySeconds</c> after the container started (the kubelet
/// runs it on the first period tick at or after that delay, which can be up to one period later). Until a readiness
/// probe first succeeds, a failure is followed by quiet early probes (25 ms, then doubling, within the period): the
/// kubelet likewise probes readiness at once whenever it builds a pod status while no success is known
/// (pkg/kubelet/prober/prober_manager.go, <c>UpdatePodStatus</c>' manual trigger), so a process that listens a few
/// milliseconds after its start is Ready then, not a whole period later. An early failure is neither counted nor
/// reported; an early success counts as any other.
/// </remarks>
internal sealed class ProbeWorker
{
    private static readonly TimeSpan _firstEarlyProbe = TimeSpan.FromMilliseconds(25);

    private readonly V1Probe _probe;
    private readonly Prober _prober;
    private readonly Func<ProbeTarget?> _target;
    private readonly Func<bool> _mayRun;
    private readonly Action<ProbeWorker, ProbeObservation> _observed;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _containerStarted;
    private volatile int _result;
    private ProbeResult _lastResult = ProbeResult.Unknown;
    private int _resultRun;
    private bool _succeeded;

    /// <param name="mayRun">False while the probe must not run yet (liveness/readiness before startup succeeded).</param>
    /// <param name="observed">Called after every failed attempt and whenever <see cref="Result"/> changes.</param>
    public ProbeWorker(ProbeKind kind, V1Probe probe, Prober prober, Func<ProbeTarget?> target, Func<bool> mayRun, Action<ProbeWorker, ProbeObservation> observed, DateTimeOffset containerStarted, TimeProvider time)
    {
        Kind = kind;
        _probe = probe;
        _prober = prober;
        _target = target;
        _mayRun = mayRun;
        _observed = observed;
        _containerStarted = containerStarted;
        _time = time;
        _result = (int)(kind switch
        {
            ProbeKind.Readiness => ProbeResult.Failure,
            ProbeKind.Liveness => ProbeResult.Success,
            _ => ProbeResult.Unknown,
        });
    }

    public ProbeKind Kind { get; }

    public ProbeResult Result => (ProbeResult)_result;

    /// <summary>Probes until <paramref name="cancellationToken"/> fires (the instance ended) or the worker holds.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, _probe.PeriodSeconds ?? 10));
        var initialDelay = TimeSpan.FromSeconds(Math.Max(0, _probe.InitialDelaySeconds ?? 0));
        try
        {
            var untilFirst = _containerStarted + initialDelay - _time.GetUtcNow();
            if (untilFirst > TimeSpan.Zero)
            {
                await Task.Delay(untilFirst, _time, cancellationToken).ConfigureAwait(false);
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                if (!await ProbeOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                if (Kind == ProbeKind.Readiness && !_succeeded)
                {
                    await ProbeEarlyAsync(period, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(period, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <returns>False when the worker should stop.</returns>
    private async Task<bool> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        if (Kind == ProbeKind.Startup && Result == ProbeResult.Success)
        {
            return false; // startup probes stop once they succeeded
        }

        if (!_mayRun() || _target() is not { } target)
        {
            return true;
        }

        var (result, output) = await _prober.ProbeAsync(_probe, target, cancellationToken).ConfigureAwait(false);
        if (result == ProbeResult.Unknown)
        {
            return true;
        }

        return !cancellationToken.IsCancellationRequested && Record(result, output);
    }

    /// <summary>
    /// Waits one <paramref name="period"/> in all, probing quietly after 25 ms, 50 ms, 100 ms … until one succeeds
    /// (counted as a regular result); failures there change nothing.
    /// </summary>
    private async Task ProbeEarlyAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var delay = _firstEarlyProbe; waited + delay < period; delay *= 2)
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            waited += delay;
            if (!_mayRun() || _target() is not { } target)
            {
                continue;
            }

            var (result, output) = await _prober.ProbeAsync(_probe, target, cancellationToken).ConfigureAwait(false);
            if (result == ProbeResult.Success && !cancellationToken.IsCancellationRequested)
            {
                Record(result, output);
                break; // one early success at most: a successThreshold above 1 still needs regular periods
            }
        }

        await Task.Delay(period - waited, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts <paramref name="result"/> towards the thresholds. Returns false when the worker should stop.</summary>
    private bool Record(ProbeResult result, string output)
    {
        if (_lastResult == result)
        {
            _resultRun++;
        }
        else
        {
            _lastResult = result;
            _resultRun = 1;
        }

        if ((result == ProbeResult.Failure && _resultRun < Math.Max(1, _probe.FailureThreshold ?? 3))
            || (result == ProbeResult.Success && _resultRun < Math.Max(1, _probe.SuccessThreshold ?? 1)))
        {
            if (result == ProbeResult.Failure)
            {
                _observed(this, new ProbeObservation(result, output, Changed: false));
            }

            return true; // not enough in a row to change the result
        }

        var changed = Result != result;
        _result = (int)result;
        _succeeded |= result == ProbeResult.Success;
        if (changed || result == ProbeResult.Failure)
        {
            _observed(this, new ProbeObservation(result, output, changed));
        }

        if (result == ProbeResult.Failure && Kind is ProbeKind.Liveness or ProbeKind.Startup)
        {
            return false; // on hold: the container is restarted with new workers
        }

        return true;
    }
}
