using System.Globalization;
using System.Runtime.InteropServices;
using Berth.Agnhost.Cli;

namespace Berth.Agnhost.Pause;

/// <summary>
/// <c>agnhost pause</c> (test/images/agnhost/pause/pause.go): prints <c>Paused</c>, waits for a signal, exits 1 on
/// SIGINT and 2 on SIGTERM — the codes the real image reports — after <c>--delay-shutdown</c> seconds.
/// </summary>
internal static class PauseCommand
{
    public const string Name = "pause";
    public const string Short = "Pauses the execution";

    public static FlagSet Flags()
    {
        var flags = new FlagSet(Name);
        flags.Int("delay-shutdown", 0, "Number of seconds to delay shutdown when receiving SIGTERM/SIGINT.");
        return flags;
    }

    public static async Task<int> RunAsync(FlagSet flags, AgnhostOptions options, CancellationToken cancellationToken)
    {
        var delay = flags.GetInt("delay-shutdown");
        var signalled = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = options.Signals.Register(PosixSignal.SIGINT, () => signalled.TrySetResult(1));
        using var sigterm = options.Signals.Register(PosixSignal.SIGTERM, () => signalled.TrySetResult(2));
        await options.Out.WriteLineAsync("Paused").ConfigureAwait(false);

        int code;
        try
        {
            code = await signalled.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (delay > 0)
            {
                await options.Out.WriteAsync("Sleeping " + delay.ToString(CultureInfo.InvariantCulture) + " seconds before exit ...").ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(delay), options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        await options.Out.WriteLineAsync("exiting " + code.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return code;
    }
}
