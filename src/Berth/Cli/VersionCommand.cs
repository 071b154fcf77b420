namespace Berth.Cli;

internal sealed class VersionCommand : ICommand
{
    public async Task<int> RunAsync()
    {
        await Console.Out.WriteLineAsync("berth (Kubernetes API v1.32)").ConfigureAwait(false);
        return 0;
    }
}
