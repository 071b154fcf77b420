namespace Berth.Storage.Sqlite;

/// <summary>A create, update or delete of one key, completed after the batch holding it commits.</summary>
internal sealed class KeyWriteOp(WriteKind kind, string key, byte[] value, long expectedRevision, CancellationToken cancellationToken) : StoreOp
{
    private readonly TaskCompletionSource<WriteResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WriteKind Kind { get; } = kind;

    public string Key { get; } = key;

    public byte[] Value { get; } = value;

    public long ExpectedRevision { get; } = expectedRevision;

    /// <summary>Checked before the op is applied: a caller that gave up before then gets no write.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task<WriteResult> Task => _completion.Task;

    public void Complete(WriteResult result) => _completion.TrySetResult(result);

    public void Cancel() => _completion.TrySetCanceled(CancellationToken);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
