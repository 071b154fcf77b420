using Berth.Client;
using k8s.Models;

namespace Berth.Controllers.EndpointSlices;

/// <summary>
/// Applies an <see cref="EndpointSlicePlan"/> through the API: creates, then updates, then deletes (upstream
/// <c>reconciler.finalize</c>), recording every write in the <see cref="EndpointSliceTracker"/>. Shared by the
/// EndpointSlice and mirroring controllers, each with its own tracker.
/// </summary>
internal sealed class EndpointSliceWriter
{
    private readonly IApiClient _client;
    private readonly EndpointSliceTracker _tracker;

    public EndpointSliceWriter(IApiClient client, EndpointSliceTracker tracker)
    {
        _client = client;
        _tracker = tracker;
    }

    /// <summary>Writes the plan; API failures propagate (the caller requeues the Service).</summary>
    public async Task ApplyAsync(string serviceKey, EndpointSlicePlan plan, CancellationToken cancellationToken)
    {
        foreach (var slice in plan.ToCreate)
        {
            try
            {
                var created = await _client.CreateAsync(slice, cancellationToken).ConfigureAwait(false);
                _tracker.Written(serviceKey, created);
            }
            catch (ApiException e) when (IsNamespaceTerminating(e))
            {
                // Upstream: nothing can be created in a terminating namespace, and the slices go with it.
                return;
            }
        }

        foreach (var slice in plan.ToUpdate)
        {
            var updated = await _client.UpdateAsync(slice, cancellationToken).ConfigureAwait(false);
            _tracker.Written(serviceKey, updated);
        }

        await DeleteAsync(serviceKey, plan.ToDelete, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes slices, a missing one counting as deleted.</summary>
    public async Task DeleteAsync(string serviceKey, IEnumerable<V1EndpointSlice> slices, CancellationToken cancellationToken)
    {
        foreach (var slice in slices)
        {
            _tracker.ExpectDeletion(serviceKey, slice);
            try
            {
                await _client.DeleteAsync<V1EndpointSlice>(slice.Metadata.NamespaceProperty, slice.Metadata.Name, null, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
            }
        }
    }

    /// <summary>The API server's Forbidden for a create in a namespace being deleted (upstream checks the cause).</summary>
    public static bool IsNamespaceTerminating(ApiException e) =>
        e.Code == 403 && e.Message.Contains("because it is being terminated", StringComparison.Ordinal);
}
