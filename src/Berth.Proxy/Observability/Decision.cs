namespace Berth.Proxy.Observability;

/// <summary>Why a connection or UDP flow went where it went (the trace's <c>why</c>).</summary>
internal enum Decision
{
    /// <summary>Session affinity: the client's endpoint from its earlier connections.</summary>
    AffinityHit,

    /// <summary>The load-balancing policy chose it.</summary>
    Policy,

    /// <summary>Chosen after a connect to another endpoint was refused or timed out.</summary>
    Retry,

    /// <summary>No endpoint could be reached: the client was reset.</summary>
    Refused,

    /// <summary>Traffic policy Local with no local endpoint: dropped (UDP datagrams; TCP SYNs never reach the proxy).</summary>
    Dropped,
}
