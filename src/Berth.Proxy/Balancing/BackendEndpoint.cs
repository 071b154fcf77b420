using System.Net;
using Berth.Proxy.Model;
using Berth.Proxy.Observability;

namespace Berth.Proxy.Balancing;

/// <summary>
/// One endpoint of one Service port at run time: the address to connect to, its open connections (least-connections)
/// and a short passive-health mark after a failed connect. It outlives model changes that keep its address and port,
/// so counts and metrics carry over; connections opened to it keep it alive after it leaves the model.
/// </summary>
internal sealed class BackendEndpoint
{
    private int _active;
    private long _failedUntil;

    public BackendEndpoint(IPAddress address, int port)
    {
        EndPoint = new IPEndPoint(address, port);
        Name = EndPoint.ToString();
        NativeAddress = Native.SockAddr.Of(EndPoint);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The endpoint as a native <c>sockaddr</c>, for <c>connect(2)</c>.</summary>
    public byte[] NativeAddress { get; }

    /// <summary><c>ip:port</c>, as in metrics and traces.</summary>
    public string Name { get; }

    /// <summary>Connections (or UDP flows) open to this endpoint through this proxy.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    public bool Matches(Endpoint endpoint) => endpoint.Port == EndPoint.Port && endpoint.Address.Equals(EndPoint.Address);

    public void Opened() => Interlocked.Increment(ref _active);

    public void Closed() => Interlocked.Decrement(ref _active);

    /// <summary>Whether a connect failed recently (at <paramref name="now"/>, a <see cref="TimeProvider.GetTimestamp"/> value).</summary>
    public bool IsFailed(long now) => now < Volatile.Read(ref _failedUntil);

    /// <summary>Marks a failed connect: new connections avoid this endpoint until <paramref name="until"/> while others are usable.</summary>
    public void MarkFailed(long until) => Volatile.Write(ref _failedUntil, until);

    /// <summary>The endpoint's metric children, resolved on its first connection (idle endpoints cost nothing).</summary>
    public EndpointMetrics? Metrics { get; set; }

    public override string ToString() => Name;
}
