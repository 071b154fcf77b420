namespace Berth.Node.Streams;

/// <summary>The query of <c>GET /containerLogs/{ns}/{pod}/{container}</c> (Kubernetes' PodLogOptions).</summary>
internal sealed record LogOptions
{
    public bool Follow { get; init; }

    public bool Previous { get; init; }

    public bool Timestamps { get; init; }

    /// <summary>Only the last this many lines (null: all).</summary>
    public long? TailLines { get; init; }

    /// <summary>Only lines written at or after this instant (from sinceSeconds or sinceTime).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Stop after this many bytes (null: no limit).</summary>
    public long? LimitBytes { get; init; }
}
