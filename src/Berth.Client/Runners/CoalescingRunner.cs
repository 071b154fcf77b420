using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Client.Runners;

/// <summary>
/// Runs one sync action on demand, bounded in frequency, like kube-proxy's <c>BoundedFrequencyRunner</c>
/// (k8s.io/kubernetes/pkg/util/async/bounded_frequency_runner.go): <see cref="Run"/> asks for a run; runs start at
/// least <see cref="CoalescingRunnerOptions.MinInterval"/> apart and at most
/// <see cref="CoalescingRunnerOptions.MaxInterval"/> apart; any number of requests made before or during a run
/// coalesce into one more run; <see cref="RetryAfter"/> schedules a retry after a failure. The action never runs
/// concurrently with itself. (The burst allowance of the original is left out.)
/// </summary>
public sealed partial class CoalescingRunner
{
    /// <summary>Timers take at most ~49 days; the loop just wakes and waits again.</summary>
    private static readonly TimeSpan _maxWait = TimeSpan.FromDays(1);

    private readonly Func<CancellationToken, Task> _action;
    private readonly CoalescingRunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);

    private bool _requested;
    private DateTimeOffset? _retryAt;
    private DateTimeOffset? _lastRun;

    public CoalescingRunner(Func<CancellationToken, Task> action, CoalescingRunnerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        options ??= new CoalescingRunnerOptions();
        options.Validate();
        _action = action;
        _options = options;
        _time = options.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Asks for a run as soon as <see cref="CoalescingRunnerOptions.MinInterval"/> allows. Never blocks.</summary>
    public void Run()
    {
        lock (_gate)
        {
            // Only the first request since the last run wakes the loop: it already plans for any later ones, and a
            // needless wake would make it throw away and re-arm its timer.
            if (!_requested)
            {
                _requested = true;
                Wake();
            }
        }
    }

    /// <summary>Asks for a run after <paramref name="delay"/> (still no sooner than the minimum interval allows).</summary>
    public void RetryAfter(TimeSpan delay)
    {
        lock (_gate)
        {
            var at = _time.GetUtcNow() + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
            if (_retryAt is null || at < _retryAt)
            {
                _retryAt = at;
            }

            Wake();
        }
    }

    /// <summary>Runs the action as requested until <paramref name="cancellationToken"/> fires. Start it once.</summary>
    public async Task LoopAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            lock (_gate)
            {
                // Wakes signalled before this point are accounted for in what DueLocked reads.
                while (_wake.Wait(0))
                {
                }

                var now = _time.GetUtcNow();
                var due = DueLocked(started, now);
                if (due <= now)
                {
                    // Requests from here on (even during the run) ask for the next run.
                    _requested = false;
                    _retryAt = null;
                    _lastRun = now;
                    wait = TimeSpan.Zero;
                }
                else
                {
                    wait = due - now;
                }
            }

            if (wait == TimeSpan.Zero)
            {
                await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await WaitAsync(wait < _maxWait ? wait : _maxWait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>When the next run is due: the max-interval deadline, brought forward by a request or a retry.</summary>
    private DateTimeOffset DueLocked(DateTimeOffset started, DateTimeOffset now)
    {
        var earliest = _lastRun is { } last ? last + _options.MinInterval : now;
        var due = (_lastRun ?? started) + _options.MaxInterval;
        if (_requested && earliest < due)
        {
            due = earliest;
        }

        if (_retryAt is { } retry)
        {
            var at = retry > earliest ? retry : earliest;
            if (at < due)
            {
                due = at;
            }
        }

        return due;
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _action(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            var failure = Failure.Of(e);
            Log.RunFailed(_logger, failure.Level, failure.Trace, _options.Name, failure.Reason, _options.ErrorRetryInterval);
            RetryAfter(_options.ErrorRetryInterval);
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already signalled; one wake-up covers any number of requests
        }
    }

    /// <summary>Waits until <paramref name="wait"/> has passed on the TimeProvider or something asked for a run.</summary>
    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, _time, stop.Token);
        var wake = _wake.WaitAsync(stop.Token);
        await Task.WhenAny(delay, wake).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 3020, Message = "Run of {Name} failed: {Reason}; retrying in {Delay}")]
        public static partial void RunFailed(ILogger logger, LogLevel level, Exception? exception, string name, string reason, TimeSpan delay);
    }
}
