using Microsoft.Extensions.Logging;

namespace Berth.Cli.Start;

/// <summary>
/// The life of <c>berth up</c>, <c>server</c> and <c>agent</c>: start (each step reported), the ready block, run until a
/// stop signal or a failure, then stop what was started, in reverse order. A stop signal at any moment — during any
/// step of the start, or while running — ends with exit code 0 and no stack trace; whatever the interrupted step threw
/// is part of the stop (logged at Debug).
/// </summary>
internal static partial class StartRunner
{
    /// <param name="report">Where the steps and the ready block go.</param>
    /// <param name="logger">For what a stopped start threw.</param>
    /// <param name="start">Starts everything, keeping each part in the given <see cref="AsyncDisposables"/>.</param>
    /// <param name="stopping">The line printed when stopping.</param>
    /// <param name="stop">SIGINT or SIGTERM.</param>
    /// <returns>0 when stopped, 1 when what started failed while running (its message on stderr).</returns>
    public static async Task<int> RunAsync(StartReport report, ILogger logger, Func<AsyncDisposables, Task<Started>> start, string stopping, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(start);
        await using var running = new AsyncDisposables();
        try
        {
            var started = await report.RunAsync("locking the data directory", () => start(running)).ConfigureAwait(false);
            report.Ready(started.Ready);
            var stopped = Task.Delay(Timeout.Infinite, stop);
            if (await Task.WhenAny(stopped, started.Failed).ConfigureAwait(false) == started.Failed)
            {
                await Console.Error.WriteLineAsync("berth: " + await started.Failed.ConfigureAwait(false) + "; stopping").ConfigureAwait(false);
                return 1;
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested)
        {
            Log.StoppedDuringStart(logger, e.GetType().Name, e.Message);
        }

        await Console.Out.WriteLineAsync("berth: " + stopping).ConfigureAwait(false);
        return 0;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8000, Level = LogLevel.Debug, Message = "Stopped during the start; the interrupted step ended with {Type}: {Reason}")]
        public static partial void StoppedDuringStart(ILogger logger, string type, string reason);
    }
}
