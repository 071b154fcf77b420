using Berth.Dns.Forwarding;
using Berth.Dns.Wire;

namespace Berth.Dns.Server;

/// <summary>The off-hot-path answers both servers hand to the <see cref="Forwarder"/>: other zones, and ExternalName targets outside ours.</summary>
internal static class Upstream
{
    public static ValueTask<int> AnswerAsync(Forwarder forwarder, QueryProcessor processor, QueryAction action, ReadOnlyMemory<byte> message, DnsQuery query, Memory<byte> response, int limit, CancellationToken cancellationToken) =>
        action == QueryAction.Chase
            ? forwarder.ChaseAsync(message, query, processor.Cname(message.Span), response, limit, processor.UdpSize, cancellationToken)
            : forwarder.ForwardAsync(message, query, response, limit, processor.UdpSize, cancellationToken);
}
