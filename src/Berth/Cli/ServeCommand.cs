using Microsoft.Extensions.Logging;

namespace Berth.Cli;

internal sealed class ServeCommand(ParsedArgs args) : ICommand
{
    public async Task<int> RunAsync()
    {
        var options = Program.ServerOptions(args);
        var level = args.Get("log-level") is { } name
            ? Enum.TryParse<LogLevel>(name, ignoreCase: true, out var parsed) ? parsed : throw new UsageException($"--log-level: not a level: {name}")
            : LogLevel.Warning;
        // ASP.NET Core logs every request at Information: --log-level is about Berth's own components.
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level)
            .AddFilter("Microsoft", (LogLevel l) => l >= LogLevel.Warning));
        using var stop = new CancellationTokenSource();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);

        await using var plane = await ControlPlane.StartAsync(options, Program.ControllerOptions(args), loggerFactory, stop.Token).ConfigureAwait(false);
        var host = plane.Api;
        await Console.Out.WriteLineAsync($"berth: API server listening on {host.Url}").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"berth: kubeconfig written to {host.KubeconfigPath}").ConfigureAwait(false);
        await Console.Out.WriteLineAsync($"berth: try  KUBECONFIG={host.KubeconfigPath} kubectl --kubeconfig {host.KubeconfigPath} get namespaces").ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Out.WriteLineAsync("berth: stopping").ConfigureAwait(false);
        }

        return 0;

        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
