using System.CommandLine;
using System.Net;
using Berth.Cli.Flags;

namespace Berth.Cli;

/// <summary>
/// <c>berth proxy-trace [--data-dir DIR] [--format json]</c>: the node's latest proxy decisions — client, entry point,
/// Service port, endpoint and why (policy, affinity, retry after a failed connect, refused, dropped) — read from the
/// node's HTTP endpoint (<c>/proxy/trace</c>), whose address the running node keeps in its data directory.
/// </summary>
internal sealed class ProxyTraceCommand
{
    private readonly DataDirFlag _dataDir = new("the data directory of berth up or berth agent (default: berth up's, then berth agent's)");
    private readonly Option<string?> _format = Flag.Choice("--format", "FORMAT", "text (default) or json", "text", "json");

    public static FlagCommand Create()
    {
        var trace = new ProxyTraceCommand();
        var command = new FlagCommand("proxy-trace", "print the node's recent proxy decisions: client → Service port → endpoint, and why", "proxy-trace [--data-dir DIR] [--format json]");
        command.Add(new FlagGroup("flags", [trace._dataDir.Option, trace._format]));
        command.SetAction(trace.RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var format = parsed.GetValue(_format) ?? "text";
        var candidates = Candidates(_dataDir.Given(parsed));
        var (file, address) = await FindNodeAsync(candidates).ConfigureAwait(false);
        if (file is null)
        {
            await Console.Error.WriteLineAsync($"berth: no running node found (looked for {string.Join(", ", candidates)}); start `berth up` or `berth agent` first").ConfigureAwait(false);
            return 1;
        }

        if (!IPEndPoint.TryParse(address, out var endpoint))
        {
            await Console.Error.WriteLineAsync($"berth: {file} does not hold an address: {address}").ConfigureAwait(false);
            return 1;
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var url = $"http://{endpoint}/proxy/trace" + (format == "json" ? "?format=json" : string.Empty);
            await Console.Out.WriteAsync(await http.GetStringAsync(new Uri(url), cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            return 0;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"berth: the node at {endpoint} (from {file}) did not answer: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The first address file that exists (a node that stops removes its file), and what it holds.</summary>
    internal static async Task<(string? File, string Address)> FindNodeAsync(IReadOnlyList<string> candidates)
    {
        foreach (var candidate in candidates)
        {
            try
            {
                return (candidate, (await File.ReadAllTextAsync(candidate).ConfigureAwait(false)).Trim());
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
            }
        }

        return (null, string.Empty);
    }

    /// <summary><c>berth up</c> keeps its node under <c>DIR/node</c>; <c>berth agent</c> uses its data directory itself.</summary>
    internal static IReadOnlyList<string> Candidates(string? dataDir)
    {
        if (dataDir is { } full)
        {
            return [Path.Combine(full, "node", NodeServices.AddressFile), Path.Combine(full, NodeServices.AddressFile)];
        }

        var home = ApiServer.ApiServerOptions.DefaultDataDir();
        return [Path.Combine(home, "node", NodeServices.AddressFile), Path.Combine(home, "agent", NodeServices.AddressFile)];
    }
}
