namespace Berth.Cli;

internal sealed class HelpCommand : ICommand
{
    public async Task<int> RunAsync()
    {
        await Console.Out.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
        return 0;
    }
}
