using System.CommandLine;
using Berth.Claims;
using Berth.Cli.Flags;

namespace Berth.Cli;

/// <summary>
/// <c>berth reset [--data-dir DIR] [--yes]</c>: removes a stopped cluster's data directory (its store, certificates,
/// admin token, kubeconfig and pods' files) after asking. It refuses, changing nothing, while a berth holds the
/// directory's lock (or the lock of an agent's directory inside it), and when the directory does not look like one
/// berth made.
/// </summary>
internal sealed class ResetCommand
{
    /// <summary>Files of which at least one is in every data directory berth has used.</summary>
    private static readonly string[] _markers = [DataDirectoryLock.FileName, "berth.db", "kubeconfig.yaml", "cluster.json"];

    private readonly DataDirFlag _dataDir = new();
    private readonly Option<bool> _yes = Flag.Switch("--yes", "-y", "do not ask");

    public static FlagCommand Create()
    {
        var reset = new ResetCommand();
        var command = new FlagCommand("reset", "remove a stopped cluster's data (store, certificates, token, kubeconfig, pods' files) after asking", "reset [--data-dir DIR] [--yes]");
        command.Add(new FlagGroup("flags", [reset._dataDir.Option, reset._yes]));
        command.SetAction(reset.RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var dir = _dataDir.Value(parsed);
        if (!Directory.Exists(dir))
        {
            await Console.Out.WriteLineAsync($"berth: nothing to remove: {dir} does not exist").ConfigureAwait(false);
            return 0;
        }

        if (!_markers.Any(m => File.Exists(Path.Combine(dir, m))))
        {
            await Console.Error.WriteLineAsync($"berth: {dir} does not look like a berth data directory (none of {string.Join(", ", _markers)}); nothing removed").ConfigureAwait(false);
            return 1;
        }

        var locks = new List<DataDirectoryLock>();
        try
        {
            foreach (var lockDir in LockedDirectories(dir))
            {
                if (DataDirectoryLock.TryAcquire(lockDir, out var holder) is not { } held)
                {
                    await Console.Error.WriteLineAsync($"berth: {lockDir} belongs to a running berth (pid {holder}); stop it first. Nothing removed").ConfigureAwait(false);
                    return 1;
                }

                locks.Add(held);
            }

            if (!parsed.GetValue(_yes) && !await ConfirmAsync(dir, cancellationToken).ConfigureAwait(false))
            {
                await Console.Error.WriteLineAsync("berth: nothing removed").ConfigureAwait(false);
                return 1;
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"berth: could not remove all of {dir}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }
        finally
        {
            locks.ForEach(l => l.Dispose());
        }

        await Console.Out.WriteLineAsync($"berth: removed {dir}").ConfigureAwait(false);
        return 0;
    }

    /// <summary>The directory itself, and those below it that a berth locks (an agent's data directory: <c>agent/</c> by default).</summary>
    private static IEnumerable<string> LockedDirectories(string dir) =>
        Directory.EnumerateFiles(dir, DataDirectoryLock.FileName, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, IgnoreInaccessible = true })
            .Select(Path.GetDirectoryName)
            .OfType<string>()
            .Prepend(dir)
            .Distinct(StringComparer.Ordinal);

    /// <summary>Asks on the terminal (or reads an answer from a pipe); anything but y or yes, or no answer, is no.</summary>
    private static async Task<bool> ConfirmAsync(string dir, CancellationToken cancellationToken)
    {
        await Console.Out.WriteAsync($"Remove {dir} and everything in it (the cluster's store, certificates, admin token, kubeconfig and pods' files)? [y/N] ").ConfigureAwait(false);
        await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return answer?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
