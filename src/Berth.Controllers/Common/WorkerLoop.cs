using Berth.Client;
using Berth.Client.Queues;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Common;

/// <summary>
/// The worker side of a queue-driven controller (client-go's <c>processNextWorkItem</c>): <c>Workers</c> loops take a
/// key, sync it, forget its backoff on success and re-queue it rate-limited when the sync failed or asked for a retry
/// (returned false). Any exception is reported once through <c>failed</c> as a <see cref="Failure"/> and the key is
/// retried with back-off, while the other keys go on syncing. Each controller logs it with the key at the failure's
/// level: a 404/409 (the object went away, a write from a stale cache) is Debug, as client-go's controllers requeue
/// those quietly; another API or network failure a one-line Warning; a bug an Error with its stack trace. Only the stop
/// ends a worker (client-go's <c>HandleError</c> + <c>AddRateLimited</c>; its <c>HandleCrash</c> would end the
/// process, Berth keeps the other keys converging). Shared by the queue-driven controllers.
/// </summary>
internal static class WorkerLoop
{
    public static Task RunAsync(WorkQueue<string> queue, int workers, Func<string, CancellationToken, Task> sync, Action<string, Failure> failed, CancellationToken cancellationToken) =>
        RunAsync(queue, workers, async (key, ct) => { await sync(key, ct).ConfigureAwait(false); return true; }, failed, cancellationToken);

    /// <summary>
    /// Runs the workers until <paramref name="cancellationToken"/> fires. A sync that returns false is handed to
    /// <paramref name="notDone"/> (default: a rate-limited retry), e.g. to look again after a fixed delay.
    /// </summary>
    public static async Task RunAsync(
        WorkQueue<string> queue,
        int workers,
        Func<string, CancellationToken, Task<bool>> sync,
        Action<string, Failure> failed,
        CancellationToken cancellationToken,
        Action<string>? notDone = null)
    {
        notDone ??= queue.AddRateLimited;
        using var registration = cancellationToken.Register(queue.ShutDown);
        var loops = Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(queue, sync, failed, notDone, cancellationToken), CancellationToken.None));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private static async Task WorkAsync(WorkQueue<string> queue, Func<string, CancellationToken, Task<bool>> sync, Action<string, Failure> failed, Action<string> notDone, CancellationToken cancellationToken)
    {
        while (true)
        {
            string key;
            try
            {
                (key, var shutdown) = await queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
                if (shutdown)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (await sync(key, cancellationToken).ConfigureAwait(false))
                {
                    queue.Forget(key);
                }
                else
                {
                    notDone(key);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A worker must outlive whatever one key's sync throws.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed(key, Failure.Of(e));
                queue.AddRateLimited(key);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }
}
