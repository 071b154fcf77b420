namespace Berth.Storage.Sqlite;

/// <summary>A WAL checkpoint; run by the writer between transactions.</summary>
internal sealed class CheckpointOp : StoreOp
{
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True when the whole WAL was checkpointed and truncated.</summary>
    public Task<bool> Task => _completion.Task;

    public void Complete(bool complete) => _completion.TrySetResult(complete);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
