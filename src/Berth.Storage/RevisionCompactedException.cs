namespace Berth.Storage;

/// <summary>A watch asked for history that compaction has removed (the API server answers 410 Expired).</summary>
public sealed class RevisionCompactedException : Exception
{
    public RevisionCompactedException(long requested, long compacted)
        : base($"too old resource version: {requested} ({compacted})")
    {
        Requested = requested;
        Compacted = compacted;
    }

    public RevisionCompactedException()
    {
    }

    public RevisionCompactedException(string message)
        : base(message)
    {
    }

    public RevisionCompactedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long Requested { get; }

    public long Compacted { get; }
}
