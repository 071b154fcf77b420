namespace Berth.Node.Streams;

/// <summary>The WebSocket subprotocols of the Kubernetes streaming endpoints (kubectl-wire.md §7, §8).</summary>
internal static class ChannelProtocols
{
    /// <summary>v4 plus channel 255 (close a stream; kubectl signals stdin EOF with it).</summary>
    public const string V5 = "v5.channel.k8s.io";

    /// <summary>Binary channels: byte 0 is the channel; channel 3 carries a Status JSON.</summary>
    public const string V4 = "v4.channel.k8s.io";

    /// <summary>kubectl's port-forward: a SPDY/3.1 byte stream in binary WebSocket messages.</summary>
    public const string SpdyTunnel = "SPDY/3.1+portforward.k8s.io";

    /// <summary>The X-Stream-Protocol-Version of direct SPDY port-forward.</summary>
    public const string PortForward = "portforward.k8s.io";

    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Error = 3;
    public const byte Resize = 4;
    public const byte Close = 255;

    /// <summary>The exec protocols this agent speaks, best first (v1–v3 differ in the error channel; base64 ones are not offered).</summary>
    public static readonly string[] Exec = [V5, V4];

    public static string? Choose(IList<string> requested, IEnumerable<string> supported) =>
        supported.FirstOrDefault(s => requested.Contains(s, StringComparer.Ordinal));
}
