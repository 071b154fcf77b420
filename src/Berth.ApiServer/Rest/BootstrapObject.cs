using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Rest;

/// <summary>
/// What the API server's own bootstrap reconcilers share (<see cref="KubernetesServiceReconciler"/>,
/// <see cref="KubeDnsServiceReconciler"/>): an object created when it is missing, and a reconcile run periodically after
/// the one the server's start awaits, its refusals reported instead of ending the loop.
/// </summary>
internal static class BootstrapObject
{
    /// <summary>Creates <paramref name="obj"/> (its namespace and name from its metadata) unless it exists; a concurrent create is fine.</summary>
    public static async Task EnsureAsync(RestHandler rest, ObjectStore objects, ResourceInfo resource, IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        var ns = obj.Metadata.NamespaceProperty;
        if (await objects.GetAsync(resource, ns, obj.Metadata.Name, ct).ConfigureAwait(false) is not null)
        {
            return;
        }

        try
        {
            await rest.CreateInternalAsync(resource, ns, obj, ct).ConfigureAwait(false);
        }
        catch (StatusException e) when (e.Code == 409)
        {
        }
    }

    /// <summary>Runs <paramref name="reconcile"/> every <paramref name="interval"/> (the start has run it once already); a refusal goes to <paramref name="failed"/>.</summary>
    public static async Task RunAsync(Func<CancellationToken, Task> reconcile, Action<StatusException> failed, TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await reconcile(ct).ConfigureAwait(false);
            }
            catch (StatusException e)
            {
                failed(e);
            }
        }
    }
}
