using System.Diagnostics;
using Berth.Dns.Server;
using Berth.Dns.Wire;
using Berth.Dns.Zone;

namespace Berth.Benchmarks.Dns;

/// <summary>
/// <c>dns-memory [services=10000]</c>: managed memory of the DNS zone index for N Services with one ready endpoint
/// each, after every name's A and SRV answer has been rendered once (the worst case for the rendered-answer cache);
/// the informers' copies of the objects are measured apart (the node's informers are shared with the proxy). Also the
/// time to build the index and to apply one change at that size.
/// </summary>
internal static class DnsMemoryMeasurement
{
    public static int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var services = DnsZoneData.Services(count).ToList();
        var slices = DnsZoneData.Slices(count).ToList();
        var objects = Heap();
        var watch = Stopwatch.StartNew();
        var index = new ZoneIndex(new ZoneConfig("cluster.local", 5, 1));
        index.AddNamespace("default", publish: false);
        services.ForEach(s => index.SetService(s, publish: false));
        slices.ForEach(s => index.SetSlice(s, publish: false));
        index.Publish();
        var build = watch.Elapsed;
        var processor = new QueryProcessor(index, 1232);
        var response = new byte[65537];
        for (var i = 1; i <= count; i++)
        {
            processor.Process(DnsZoneData.Query($"{DnsZoneData.Name(i)}.default.svc.cluster.local", RecordType.A), response, false, true, out _, out _);
            processor.Process(DnsZoneData.Query($"_http._tcp.{DnsZoneData.Name(i)}.default.svc.cluster.local", RecordType.SRV), response, false, true, out _, out _);
        }

        var indexed = Heap();
        watch.Restart();
        const int Changes = 100;
        for (var i = 0; i < Changes; i++)
        {
            index.SetService(services[i]);
        }

        var change = watch.Elapsed / Changes;
        GC.KeepAlive(services);
        GC.KeepAlive(slices);
        GC.KeepAlive(processor);
        Console.WriteLine($"services={count} names={index.Current!.Names.Count} objects_mib={objects / 1048576.0:F1} index_mib={(indexed - objects) / 1048576.0:F1} build_ms={build.TotalMilliseconds:F0} change_ms={change.TotalMilliseconds:F2} (one Service changed, snapshot published)");
        return 0;
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
