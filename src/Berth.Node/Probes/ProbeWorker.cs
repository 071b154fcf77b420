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
/// Deliberate difference: the first probe runs <c>initialDelaySeconds</c> after the container started (the kubelet
/// runs it on the first period tick at or after that delay, which can be up to one period later).
/// </remarks>
internal sealed class ProbeWorker
{
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

                await Task.Delay(period, _time, cancellationToken).ConfigureAwait(false);
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

        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

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
