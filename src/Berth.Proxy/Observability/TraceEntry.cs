using System.Net;
using Berth.Proxy.Model;

namespace Berth.Proxy.Observability;

/// <summary>One recent connection decision.</summary>
/// <param name="Time">When the connection was accepted (or the flow's first datagram arrived).</param>
/// <param name="Client">The client's address and port.</param>
/// <param name="Frontend">The entry point the client used.</param>
/// <param name="ServicePort">The Service port behind the entry point.</param>
/// <param name="Endpoint">The endpoint chosen (<c>ip:port</c>), or null when none was.</param>
/// <param name="Decision">Why.</param>
/// <param name="Detail">The policy's name, or the endpoints that failed before this one.</param>
internal sealed record TraceEntry(
    DateTimeOffset Time,
    IPEndPoint Client,
    EntryPoint Frontend,
    ServicePortName ServicePort,
    string? Endpoint,
    Decision Decision,
    string? Detail);
