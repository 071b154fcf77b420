using Berth.Client;
using Berth.Client.Queues;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Common;

/// <summary>
/// The worker side of a queue-driven controller (client-go's <c>processNextWorkItem</c>): <c>Workers</c> loops take a
/// key, sync it, forget its backoff on success and re-queue it rate-limited when the sync failed or asked for a retry
/// (returned false). A 409 Conflict (a write from a stale cache) is retried without being reported; any other exception
/// — the API said no, a deadline passed, or a bug for this one key — is reported once through <c>failed</c> (each
/// controller logs it as one Warning with the key) and the key is retried with back-off, while the other keys go on
/// syncing. Only the stop ends a worker (client-go's <c>HandleError</c> + <c>AddRateLimited</c>; its
/// <c>HandleCrash</c> would end the process, Berth keeps the other keys converging). Shared by the queue-driven
/// controllers.
/// </summary>
internal static class WorkerLoop
{
    public static Task RunAsync(WorkQueue<string> queue, int workers, Func<string, CancellationToken, Task> sync, Action<string, Exception> failed, CancellationToken cancellationToken) =>
        RunAsync(queue, workers, async (key, ct) => { await sync(key, ct).ConfigureAwait(false); return true; }, failed, cancellationToken);

    /// <summary>
    /// Runs the workers until <paramref name="cancellationToken"/> fires. A sync that returns false is handed to
    /// <paramref name="notDone"/> (default: a rate-limited retry), e.g. to look again after a fixed delay.
    /// </summary>
    public static async Task RunAsync(
        WorkQueue<string> queue,
        int workers,
        Func<string, CancellationToken, Task<bool>> sync,
        Action<string, Exception> failed,
        CancellationToken cancellationToken,
        Action<string>? notDone = null)
    {
        notDone ??= queue.AddRateLimited;
        using var registration = cancellationToken.Register(queue.ShutDown);
        var loops = Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(queue, sync, failed, notDone, cancellationToken), CancellationToken.None));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private static async Task WorkAsync(WorkQueue<string> queue, Func<string, CancellationToken, Task<bool>> sync, Action<string, Exception> failed, Action<string> notDone, CancellationToken cancellationToken)
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
            catch (ConflictException)
            {
                // Written from a stale cache: the informer is about to deliver the newer object; retry without noise.
                queue.AddRateLimited(key);
            }
#pragma warning disable CA1031 // A worker must outlive whatever one key's sync throws.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed(key, e);
                queue.AddRateLimited(key);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }
}
