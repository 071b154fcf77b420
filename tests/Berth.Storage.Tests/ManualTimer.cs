namespace Berth.Storage.Tests;

internal sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
{
    public DateTimeOffset? DueAt { get; set; }

    public TimeSpan Period { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        owner.Schedule(this, dueTime, period);
        return true;
    }

    public void Dispose() => owner.Remove(this);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Called under the owner's lock after firing was decided: the next due time, or none for a one-shot timer.</summary>
    internal void Reschedule() =>
        DueAt = Period == Timeout.InfiniteTimeSpan || Period == TimeSpan.Zero ? null : DueAt + Period;

    internal void Fire() => callback(state);
}
