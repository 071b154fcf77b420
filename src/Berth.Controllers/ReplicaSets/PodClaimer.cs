using System.Text.Json;
using Berth.Client;
using Berth.Controllers.Common;
using k8s;
using k8s.Models;

namespace Berth.Controllers.ReplicaSets;

/// <summary>
/// Applies a <see cref="PodClaim"/> (upstream <c>PodControllerRefManager</c>) for any workload controller: strategic
/// merge patches of ownerReferences, merged by uid. Adoption first re-reads the owner from the API (upstream
/// <c>RecheckDeletionTimestamp</c>) so a deleted or replaced owner adopts nothing. Returns the owned pods.
/// </summary>
internal static class PodClaimer
{
    /// <param name="freshOwnerAsync">Reads the owner's current metadata from the API (null when gone).</param>
    public static async Task<IReadOnlyList<V1Pod>> ApplyAsync(
        IApiClient client,
        V1OwnerReference owner,
        string ns,
        PodClaim claim,
        Func<CancellationToken, Task<V1ObjectMeta?>> freshOwnerAsync,
        CancellationToken cancellationToken)
    {
        foreach (var pod in claim.ToRelease)
        {
            var body = JsonSerializer.Serialize(new
            {
                metadata = new { ownerReferences = new object[] { new Dictionary<string, string> { ["$patch"] = "delete", ["uid"] = owner.Uid } } },
            });
            try
            {
                await client.PatchAsync<V1Pod>(ns, pod.Metadata.Name, V1Patch.PatchType.StrategicMergePatch, body, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                // gone already: nothing to release
            }
        }

        if (claim.ToAdopt.Count == 0)
        {
            return claim.Owned;
        }

        var fresh = await freshOwnerAsync(cancellationToken).ConfigureAwait(false);
        if (fresh is null || fresh.Uid != owner.Uid || fresh.DeletionTimestamp is not null)
        {
            return [.. claim.Owned.Except(claim.ToAdopt)];
        }

        var owned = claim.Owned.ToList();
        var adopt = KubernetesJson.Serialize(new V1Pod { Metadata = new V1ObjectMeta { OwnerReferences = [owner] } });
        foreach (var pod in claim.ToAdopt)
        {
            try
            {
                await client.PatchAsync<V1Pod>(ns, pod.Metadata.Name, V1Patch.PatchType.StrategicMergePatch, adopt, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                owned.Remove(pod);
            }
        }

        return owned;
    }
}
