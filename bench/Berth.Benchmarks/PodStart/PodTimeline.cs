using System.Diagnostics;

namespace Berth.Benchmarks.PodStart;

/// <summary>
/// When one pod passed each step, as <see cref="Stopwatch"/> timestamps of this process (0 = not yet): the create
/// request started and its response came; then, as seen in the watch, the PodScheduled condition, the agent's first status (a podIP or a
/// container status), phase Running, condition Ready=True, and the DELETED event. Each is set once.
/// </summary>
internal sealed class PodTimeline
{
    private long _created;
    private long _accepted;
    private long _scheduled;
    private long _agentSeen;
    private long _running;
    private long _ready;
    private long _deleted;

    public long Created => Volatile.Read(ref _created);

    public long Accepted => Volatile.Read(ref _accepted);

    public long Scheduled => Volatile.Read(ref _scheduled);

    public long AgentSeen => Volatile.Read(ref _agentSeen);

    public long Running => Volatile.Read(ref _running);

    public long Ready => Volatile.Read(ref _ready);

    public long Deleted => Volatile.Read(ref _deleted);

    public void MarkCreated(long at) => Mark(ref _created, at);

    public void MarkAccepted(long at) => Mark(ref _accepted, at);

    public void MarkScheduled(long at) => Mark(ref _scheduled, at);

    public void MarkAgentSeen(long at) => Mark(ref _agentSeen, at);

    public void MarkRunning(long at) => Mark(ref _running, at);

    public void MarkReady(long at) => Mark(ref _ready, at);

    public void MarkDeleted(long at) => Mark(ref _deleted, at);

    /// <summary>Milliseconds from <paramref name="from"/> to <paramref name="to"/>, or null when either is missing.</summary>
    public static double? Between(long from, long to) =>
        from == 0 || to == 0 ? null : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static void Mark(ref long field, long at) => Interlocked.CompareExchange(ref field, at, 0);
}
