using System.Net;
using Berth.Dns.Forwarding;
using Berth.Dns.Server;
using Berth.Dns.Zone;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Benchmarks.Dns;

/// <summary>
/// <c>dns-serve ADDR:PORT [seconds=30] [services=1000] [batch=32]</c>: the DNS server alone (the UDP and TCP servers over a
/// synthetic zone, no API server, no informers) for a load generator such as dnsperf, then the managed allocations and
/// GC counts of the whole run — to tell the server's own cost from that of the rest of <c>berth up</c>.
/// </summary>
internal static class DnsServeMeasurement
{
    public static async Task<int> RunAsync(string[] args)
    {
        var address = IPEndPoint.Parse(args[0]);
        var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 30;
        var count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var batch = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 32;
        var index = new ZoneIndex(new ZoneConfig("cluster.local", 5, 1));
        index.AddNamespace("default", publish: false);
        foreach (var service in DnsZoneData.Services(count))
        {
            index.SetService(service, publish: false);
        }

        index.Publish();
        var processor = new QueryProcessor(index, 1232);
        await using var forwarder = new Forwarder(new ForwarderOptions(), NullLogger.Instance);
        var filter = new ClientFilter([]);
        await using var udp = UdpServer.Start(address, Environment.ProcessorCount, batch, processor, filter, forwarder, NullLogger.Instance);
        await using var tcp = TcpServer.Start(udp.Endpoint, processor, filter, forwarder, TimeSpan.FromSeconds(10), NullLogger.Instance);
        Console.WriteLine($"serving {count} Services on {udp.Endpoint} for {seconds} s ({batch} datagrams per system call)");
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gen0 = GC.CollectionCount(0);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var answered = udp.Stats.Sum(s => s.Responses.Sum());
        Console.WriteLine($"answered={answered} allocated_bytes={GC.GetTotalAllocatedBytes(precise: true) - allocated} gen0_collections={GC.CollectionCount(0) - gen0} renders={processor.Renders}");
        return 0;
    }
}
