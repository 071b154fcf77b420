using Berth.Proxy.Balancing;
using Berth.Proxy.Model;

namespace Berth.Proxy.Observability;

/// <summary>
/// One decision as the data plane writes it into the trace ring: plain values and references it already holds, so
/// recording a connection allocates nothing. <see cref="ConnectionTrace.Snapshot"/> turns records into
/// <see cref="TraceEntry"/> values for display.
/// </summary>
/// <param name="Time">When the connection was accepted (or the flow's first datagram arrived).</param>
/// <param name="Client">The client's address as a <see cref="ClientKey"/>.</param>
/// <param name="ClientPort">The client's port.</param>
/// <param name="Frontend">The entry point the client used.</param>
/// <param name="ServicePort">The Service port behind it.</param>
/// <param name="Endpoint">The endpoint chosen, or null.</param>
/// <param name="Decision">Why.</param>
/// <param name="Detail">The endpoints that failed before this one, if any.</param>
internal readonly record struct TraceRecord(
    DateTimeOffset Time,
    UInt128 Client,
    int ClientPort,
    EntryPoint Frontend,
    ServicePortName ServicePort,
    BackendEndpoint? Endpoint,
    Decision Decision,
    string? Detail);
