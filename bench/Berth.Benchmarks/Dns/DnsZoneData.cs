using Berth.Dns.Wire;
using k8s.Models;

namespace Berth.Benchmarks.Dns;

/// <summary>The benchmark zone: Services <c>svc-NNNN</c> in <c>default</c> with a port named <c>http</c> (../shared/bench/gen-dns-data.py's names), each with one ready endpoint.</summary>
internal static class DnsZoneData
{
    public static IEnumerable<V1Service> Services(int count) => Enumerable.Range(1, count).Select(i => new V1Service
    {
        Metadata = new V1ObjectMeta { Name = Name(i), NamespaceProperty = "default", Uid = Guid.NewGuid().ToString() },
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            ClusterIP = Address(i, 96),
            ClusterIPs = [Address(i, 96)],
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = 8080 }],
            Selector = new Dictionary<string, string> { ["app"] = Name(i) },
        },
    });

    public static IEnumerable<V1EndpointSlice> Slices(int count) => Enumerable.Range(1, count).Select(i => new V1EndpointSlice
    {
        Metadata = new V1ObjectMeta { Name = Name(i) + "-abcde", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = Name(i) } },
        AddressType = "IPv4",
        Endpoints = [new V1Endpoint { Addresses = [Address(i, 244)], Conditions = new V1EndpointConditions { Ready = true }, NodeName = "node" }],
        Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
    });

    public static string Name(int i) => $"svc-{i:D4}";

    public static byte[] Query(string name, RecordType type, ushort id = 1) =>
        [.. new byte[] { (byte)(id >> 8), (byte)id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, .. DnsName.Encode(name), 0, (byte)type, 0, 1];

    private static string Address(int i, int second) => $"10.{second}.{i / 256}.{i % 256}";
}
