using Berth.ApiServer;
using Berth.Cli;

namespace Berth;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            var command = CommandLine.Parse(args);
            return await command.RunAsync().ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync("berth: " + e.Message).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(CommandLine.Usage).ConfigureAwait(false);
            return 2;
        }
        catch (Claims.ClaimException e)
        {
            await Console.Error.WriteLineAsync("berth: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("berth: " + e.Message).ConfigureAwait(false);
            return 2;
        }
    }

    internal static ApiServerOptions ServerOptions(ParsedArgs parsed)
    {
        var options = new ApiServerOptions();
        if (parsed.Get("data-dir") is { } dir)
        {
            options.DataDir = Path.GetFullPath(dir);
        }

        if (parsed.Get("api-port") is { } port)
        {
            options.ApiPort = int.TryParse(port, out var p) ? p : throw new UsageException($"--api-port: not a number: {port}");
        }

        foreach (var san in parsed.GetAll("tls-san"))
        {
            options.TlsSans.Add(san);
        }

        foreach (var address in parsed.GetAll("bind-address"))
        {
            options.BindAddresses.Add(System.Net.IPAddress.TryParse(address, out var ip) ? ip : throw new UsageException($"--bind-address: not an IP address: {address}"));
        }

        if (parsed.Get("service-cidr") is { } cidr)
        {
            options.ServiceCidr = cidr;
        }

        if (parsed.Get("service-node-port-range") is { } range)
        {
            options.ServiceNodePortRange = range;
        }

        options.Validate();
        return options;
    }

    internal static Controllers.ControllerOptions ControllerOptions(ParsedArgs parsed)
    {
        var options = new Controllers.ControllerOptions();
        if (parsed.Get("lb-pool") is { } pool)
        {
            options.LoadBalancerPool = pool;
        }

        if (parsed.Get("max-endpoints-per-slice") is { } max)
        {
            options.MaxEndpointsPerSlice = int.TryParse(max, out var n) ? n : throw new UsageException($"--max-endpoints-per-slice: not a number: {max}");
        }

        options.ClusterCidr = parsed.Get("cluster-cidr") ?? options.ClusterCidr;
        if (parsed.Get("node-cidr-mask-size") is { } mask)
        {
            options.NodeCidrMaskSize = int.TryParse(mask, out var m) ? m : throw new UsageException($"--node-cidr-mask-size: not a number: {mask}");
        }

        if (parsed.Get("node-monitor-grace-period") is { } grace)
        {
            options.NodeMonitorGracePeriod = GoDuration.Parse("node-monitor-grace-period", grace);
        }

        options.Validate();
        return options;
    }
}
