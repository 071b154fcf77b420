namespace Berth.Storage.Sqlite;

/// <summary>One step of compaction: deletes at most <see cref="BatchSize"/> history rows at or below <see cref="Target"/>.</summary>
internal sealed class CompactOp(long target, int batchSize) : StoreOp
{
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Target { get; } = target;

    public int BatchSize { get; } = batchSize;

    /// <summary>The number of history rows removed.</summary>
    public Task<long> Task => _completion.Task;

    public void Complete(long removed) => _completion.TrySetResult(removed);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
