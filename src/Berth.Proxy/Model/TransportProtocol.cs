namespace Berth.Proxy.Model;

/// <summary>A Service port's protocol, spelled as Kubernetes spells it.</summary>
internal enum TransportProtocol
{
    TCP,
    UDP,
    SCTP,
}
