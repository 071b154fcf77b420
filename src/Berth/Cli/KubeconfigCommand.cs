namespace Berth.Cli;

internal sealed class KubeconfigCommand(ParsedArgs args) : ICommand
{
    public async Task<int> RunAsync()
    {
        var options = Program.ServerOptions(args);
        if (!File.Exists(options.KubeconfigPath))
        {
            await Console.Error.WriteLineAsync($"berth: no kubeconfig at {options.KubeconfigPath}; start `berth up` first").ConfigureAwait(false);
            return 1;
        }

        await Console.Out.WriteAsync(await File.ReadAllTextAsync(options.KubeconfigPath).ConfigureAwait(false)).ConfigureAwait(false);
        return 0;
    }
}
