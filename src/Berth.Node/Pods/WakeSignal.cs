namespace Berth.Node.Pods;

/// <summary>
/// Wakes one async loop: <see cref="Set"/> from anywhere; <see cref="WaitAsync"/> returns when it was set since the last
/// wait, or at a deadline. Setting it several times before the loop waits wakes it once.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>Waits until <see cref="Set"/> or <paramref name="deadline"/> (none: only a set wakes it).</summary>
    public async Task WaitAsync(DateTimeOffset? deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _next);
        if (!current.Task.IsCompleted)
        {
            try
            {
                if (deadline is { } at)
                {
                    var delay = at - time.GetUtcNow();
                    if (delay > TimeSpan.Zero)
                    {
                        await current.Task.WaitAsync(delay, time, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    await current.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (TimeoutException)
            {
            }
        }

        // Re-arm before the caller reads the state it was woken for, so a later Set wakes the next wait.
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }
}
