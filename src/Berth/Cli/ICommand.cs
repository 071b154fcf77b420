namespace Berth.Cli;

internal interface ICommand
{
    Task<int> RunAsync();
}
