namespace Berth.Proxy.Model;

/// <summary>What an entry point does with new traffic (§5.7).</summary>
internal enum Verdict
{
    /// <summary>Endpoints are usable: forward to one of them.</summary>
    Forward,

    /// <summary>The Service has no usable endpoint anywhere: refuse at once (TCP RST, ICMP port unreachable).</summary>
    Reject,

    /// <summary>Endpoints exist, but none this traffic policy may use from here: drop, the client times out.</summary>
    Drop,
}
