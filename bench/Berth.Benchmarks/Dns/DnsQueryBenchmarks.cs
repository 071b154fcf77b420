using BenchmarkDotNet.Attributes;
using Berth.Dns.Server;
using Berth.Dns.Wire;
using Berth.Dns.Zone;

namespace Berth.Benchmarks.Dns;

/// <summary>
/// The DNS hot path without sockets — parse, lookup, copy the rendered answer, patch ID and question — for A, SRV and
/// NXDOMAIN over a zone of 1,000 Services (mixed case, so the case echo is exercised). Target: 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class DnsQueryBenchmarks
{
    private readonly byte[] _response = new byte[65537];
    private QueryProcessor _processor = null!;
    private byte[] _a = [];
    private byte[] _srv = [];
    private byte[] _nx = [];

    [GlobalSetup]
    public void Setup()
    {
        _processor = new QueryProcessor(Rebuild(new ZoneIndex(new ZoneConfig("cluster.local", 5, 1))), 1232);
        _a = DnsZoneData.Query("Svc-0500.Default.svc.cluster.local", RecordType.A);
        _srv = DnsZoneData.Query("_http._tcp.svc-0500.default.svc.cluster.local", RecordType.SRV);
        _nx = DnsZoneData.Query("nosuch-123456.default.svc.cluster.local", RecordType.A);
    }

    [Benchmark]
    public int A() => Answer(_a);

    [Benchmark]
    public int Srv() => Answer(_srv);

    [Benchmark]
    public int NxDomain() => Answer(_nx);

    private static ZoneIndex Rebuild(ZoneIndex index)
    {
        index.AddNamespace("default", publish: false);
        foreach (var service in DnsZoneData.Services(1000))
        {
            index.SetService(service, publish: false);
        }

        foreach (var slice in DnsZoneData.Slices(1000))
        {
            index.SetSlice(slice, publish: false);
        }

        index.Publish();
        return index;
    }

    private int Answer(byte[] query)
    {
        _processor.Process(query, _response, tcp: false, allowed: true, out _, out var length);
        return length;
    }
}
