namespace Berth.Client;

/// <summary>Selectors and timing of a watch.</summary>
public sealed record WatchQuery
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Sent as <c>timeoutSeconds</c> (whole seconds, at least 1): the server ends the stream cleanly after it.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Sent as <c>allowWatchBookmarks</c>: the server then reports progress while nothing changes.</summary>
    public bool AllowBookmarks { get; init; } = true;
}
