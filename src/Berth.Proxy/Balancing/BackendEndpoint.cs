using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;

namespace Berth.Proxy.Balancing;

/// <summary>
/// One endpoint of one Service port at run time: the address to connect to, its open connections (least-connections)
/// and a short passive-health mark after a failed connect. It outlives model changes that keep its address and port,
/// so counts and metrics carry over; connections opened to it keep it alive after it leaves the model. Kept small
/// (10,000 Services × 10 endpoints are 100,000 of these): names and endpoint objects are made on first use.
/// </summary>
internal sealed class BackendEndpoint
{
    private int _active;
    private long _failedUntil;
    private string? _name;
    private IPEndPoint? _endPoint;

    public BackendEndpoint(IPAddress address, int port)
    {
        Address = address;
        Port = port;
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public IPEndPoint EndPoint => _endPoint ??= new IPEndPoint(Address, Port);

    /// <summary><c>ip:port</c>, as in metrics and traces.</summary>
    public string Name => _name ??= EndPoint.ToString();

    /// <summary>Connections (or UDP flows) open to this endpoint through this proxy.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    /// <summary>The endpoint's metric children, resolved on its first connection (idle endpoints cost nothing).</summary>
    public EndpointMetrics? Metrics { get; set; }

    public bool Matches(Endpoint endpoint) => endpoint.Port == Port && endpoint.Address.Equals(Address);

    /// <summary>Writes the endpoint as a native <c>sockaddr</c> for <c>connect(2)</c>; returns its length.</summary>
    public int WriteSockAddr(Span<byte> address) => Native.SockAddr.Write(address, Address, Port);

    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;

    public void Opened() => Interlocked.Increment(ref _active);

    public void Closed() => Interlocked.Decrement(ref _active);

    /// <summary>Whether a connect failed recently (at <paramref name="now"/>, a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public bool IsFailed(long now) => now < Volatile.Read(ref _failedUntil);

    /// <summary>Marks a failed connect: new connections avoid this endpoint until <paramref name="until"/> while others are usable.</summary>
    public void MarkFailed(long until) => Volatile.Write(ref _failedUntil, until);

    public override string ToString() => Name;
}
