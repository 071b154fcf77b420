using Berth.Claims;
using Berth.Cli;

namespace Berth;

/// <summary>
/// <c>berth</c>: exit code 0 when done (or stopped by SIGINT/SIGTERM), 1 when it failed at run time (a held data
/// directory or range, a busy port, a stopped controller), 2 when the command line is wrong.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is [AgnhostCommand.Name, .. var rest])
        {
            // A pod's process: its own signals and flags, and nothing of berth's start-up cost.
            return await AgnhostCommand.RunAsync(rest).ConfigureAwait(false);
        }

        // Taken before anything else, so that a stop at any moment after this is an orderly one.
        using var stop = new StopSignal();
        try
        {
            return await CommandLine.RunAsync(args, stop.Token).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync("berth: " + e.Message).ConfigureAwait(false);
            return CommandLine.UsageExit;
        }
        catch (ClaimException e)
        {
            await Console.Error.WriteLineAsync("berth: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            return 0;
        }
    }
}
