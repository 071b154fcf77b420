using System.CommandLine;
using System.Net;
using Berth.ApiServer;
using Berth.Cli.Flags;
using Berth.Client.Http;
using Berth.Client.Informers;
using Berth.Status;
using k8s.Models;
using Spectre.Console;

namespace Berth.Cli;

/// <summary>
/// <c>berth status [-w] [--namespace NS]</c>: the cluster of the data directory as a person wants to see it — nodes,
/// then Services → ports → endpoints → pods → node. <c>-w</c> follows changes (live on a terminal, a new drawing per
/// change otherwise).
/// </summary>
internal sealed class StatusCommand
{
    /// <summary>How often a followed view is redrawn at most.</summary>
    private static readonly TimeSpan _redraw = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a live view reads the proxy's connection counts again when nothing else changed.</summary>
    private static readonly TimeSpan _connectionsRefresh = TimeSpan.FromSeconds(1);

    private readonly DataDirFlag _dataDir = new();
    private readonly Option<string?> _namespace = Flag.Text("--namespace", "NS", "only this namespace's Services and pods (default: all)");
    private readonly Option<bool> _watch = Flag.Switch("--watch", "-w", "follow changes (live on a terminal, a new drawing per change otherwise)");

    public static FlagCommand Create()
    {
        var status = new StatusCommand();
        var command = new FlagCommand("status", "draw the cluster: nodes, then Services → ports → endpoints → pods → node", "status [--data-dir DIR] [--namespace NS] [-w]");
        command.Add(new FlagGroup("flags", [status._dataDir.Option, status._namespace, status._watch]));
        command.SetAction(status.RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken stop)
    {
        var options = new ApiServerOptions { DataDir = _dataDir.Value(parsed) };
        if (!File.Exists(options.KubeconfigPath))
        {
            await Console.Error.WriteLineAsync($"berth: no kubeconfig at {options.KubeconfigPath}; start `berth up` first").ConfigureAwait(false);
            return 1;
        }

        var ns = parsed.GetValue(_namespace);
        using var api = HttpApiClient.FromKubeconfig(options.KubeconfigPath);
        if (!parsed.GetValue(_watch))
        {
            var status = StatusPlanner.Build(
                (await api.ListAsync<V1Service>(ns, null, stop).ConfigureAwait(false)).Items,
                (await api.ListAsync<V1EndpointSlice>(ns, null, stop).ConfigureAwait(false)).Items,
                (await api.ListAsync<V1Pod>(ns, null, stop).ConfigureAwait(false)).Items,
                (await api.ListAsync<V1Node>(null, null, stop).ConfigureAwait(false)).Items);
            AnsiConsole.Write(StatusView.Render(status, await ConnectionsAsync(options.DataDir, stop).ConfigureAwait(false)));
            return 0;
        }

        await using var informers = new SharedInformers(api);
        var changed = new WakeUp();
        var services = Follow<V1Service>(informers, changed);
        var slices = Follow<V1EndpointSlice>(informers, changed);
        var pods = Follow<V1Pod>(informers, changed);
        var nodes = Follow<V1Node>(informers, changed);
        await informers.StartAsync(stop).ConfigureAwait(false);
        ClusterStatus Current() => StatusPlanner.Build(
            services.Lister.List(ns),
            slices.Lister.List(ns),
            pods.Lister.List(ns),
            nodes.Lister.List());

        try
        {
            if (AnsiConsole.Profile.Capabilities.Interactive)
            {
                await AnsiConsole.Live(StatusView.Render(Current(), await ConnectionsAsync(options.DataDir, stop).ConfigureAwait(false))).StartAsync(async live =>
                {
                    while (true)
                    {
                        // Connection counts change without an API event: redraw at least every second on a terminal.
                        await changed.WaitAsync(_connectionsRefresh, stop).ConfigureAwait(false);
                        live.UpdateTarget(StatusView.Render(Current(), await ConnectionsAsync(options.DataDir, stop).ConfigureAwait(false)));
                        await Task.Delay(_redraw, stop).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                while (true)
                {
                    AnsiConsole.Write(StatusView.Render(Current(), await ConnectionsAsync(options.DataDir, stop).ConfigureAwait(false)));
                    AnsiConsole.WriteLine();
                    await changed.WaitAsync(stop).ConfigureAwait(false);
                    await Task.Delay(_redraw, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        return 0;
    }

    /// <summary>The node proxy's open connections per endpoint (its /metrics), or null when no node of the data directory answers.</summary>
    private static async Task<StatusView.ConnectionCount?> ConnectionsAsync(string dataDir, CancellationToken stop)
    {
        var (file, address) = await ProxyTraceCommand.FindNodeAsync(ProxyTraceCommand.Candidates(dataDir)).ConfigureAwait(false);
        if (file is null || !IPEndPoint.TryParse(address, out var endpoint))
        {
            return null;
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return ProxyConnections.Parse(await http.GetStringAsync(new Uri($"http://{endpoint}/metrics"), stop).ConfigureAwait(false)).Count;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private static Informer<T> Follow<T>(SharedInformers informers, WakeUp changed)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var informer = informers.For<T>();
        informer.AddHandler(new InformerHandler<T>
        {
            Added = (_, _) => changed.Set(),
            Updated = (_, _) => changed.Set(),
            Deleted = _ => changed.Set(),
        });
        return informer;
    }

    /// <summary>A level-triggered "something changed" for the redraw loop.</summary>
    private sealed class WakeUp
    {
        private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Set() => Volatile.Read(ref _signal).TrySetResult();

        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            await Volatile.Read(ref _signal).Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        /// <summary>Waits for a change, or at most <paramref name="timeout"/>.</summary>
        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                await Volatile.Read(ref _signal).Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
            catch (TimeoutException)
            {
            }
        }
    }
}
