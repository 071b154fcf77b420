using Berth.Client;
using Berth.Client.Events;
using Berth.Controllers.ReplicaSets;
using k8s;
using k8s.Models;

namespace Berth.Controllers.Common;

/// <summary>
/// client-go's <c>RealPodControl</c> with the expectations bookkeeping of the workload controllers
/// (<c>pkg/controller/controller_utils.go</c>): pod creates in slow-start batches and pod deletes, each with the
/// SuccessfulCreate/FailedCreate or SuccessfulDelete/FailedDelete event on the owner, and every create or delete that
/// will never be observed taken off the owner's expectations. Shared by the ReplicaSet and Job controllers.
/// </summary>
internal sealed class PodControl
{
    private readonly IApiClient _client;
    private readonly EventRecorder _events;
    private readonly ExpectationsTracker _expectations;
    private readonly string _component;

    public PodControl(IApiClient client, EventRecorder events, ExpectationsTracker expectations, string component)
    {
        _client = client;
        _events = events;
        _expectations = expectations;
        _component = component;
    }

    /// <summary>
    /// Upstream <c>slowStartBatch</c>: creates <paramref name="pods"/> in batches of 1, 2, 4, … and stops at the first
    /// failing batch, so a quota or admission error costs one call, not one per pod. Returns how many were not created
    /// and the first failure (<paramref name="failed"/> hears each, e.g. to log it).
    /// </summary>
    public async Task<(int NotCreated, Exception? Failure)> CreatePodsAsync(string key, IKubernetesObject<V1ObjectMeta> owner, IReadOnlyList<V1Pod> pods, Action<Exception> failed, CancellationToken cancellationToken)
    {
        _expectations.ExpectCreations(key, pods.Count);
        var next = 0;
        for (var batch = 1; next < pods.Count; batch *= 2)
        {
            var chunk = pods.Skip(next).Take(batch).ToList();
            next += chunk.Count;
            var results = await Task.WhenAll(chunk.Select(p => CreatePodAsync(key, owner, p, failed, cancellationToken))).ConfigureAwait(false);
            if (results.FirstOrDefault(r => r is not null) is { } failure)
            {
                for (var i = next; i < pods.Count; i++)
                {
                    _expectations.CreationObserved(key);
                }

                return (results.Count(r => r is not null) + pods.Count - next, failure);
            }
        }

        return (0, null);
    }

    /// <summary>Deletes <paramref name="pods"/>; a pod already gone is no failure. Returns the first failure.</summary>
    public async Task<Exception?> DeletePodsAsync(string key, IKubernetesObject<V1ObjectMeta> owner, IReadOnlyList<V1Pod> pods, Action<V1Pod, Exception> failed, CancellationToken cancellationToken)
    {
        _expectations.ExpectDeletions(key, pods.Select(ObjectKeys.Of));
        var results = await Task.WhenAll(pods.Select(pod => DeletePodAsync(key, owner, pod, failed, cancellationToken))).ConfigureAwait(false);
        return results.FirstOrDefault(r => r is not null);
    }

    private async Task<Exception?> CreatePodAsync(string key, IKubernetesObject<V1ObjectMeta> owner, V1Pod pod, Action<Exception> failed, CancellationToken cancellationToken)
    {
        V1Pod created;
        try
        {
            created = await _client.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The informer will never see this pod: the expectation must be lowered, or the owner waits for the
            // expectations timeout. No event while the namespace is terminating (every later create fails the same way).
            failed(e);
            _expectations.CreationObserved(key);
            if (e is not ApiException { IsNamespaceTerminating: true })
            {
                await _events.RecordAsync(owner, EventRecorder.Warning, "FailedCreate", "Error creating: " + e.Message, _component, cancellationToken).ConfigureAwait(false);
            }

            return e;
        }

        await _events.RecordAsync(owner, EventRecorder.Normal, "SuccessfulCreate", "Created pod: " + created.Metadata.Name, _component, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<Exception?> DeletePodAsync(string key, IKubernetesObject<V1ObjectMeta> owner, V1Pod pod, Action<V1Pod, Exception> failed, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            _expectations.DeletionObserved(key, ObjectKeys.Of(pod));
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failed(pod, e);
            _expectations.DeletionObserved(key, ObjectKeys.Of(pod));
            await _events.RecordAsync(owner, EventRecorder.Warning, "FailedDelete", "Error deleting: " + e.Message, _component, cancellationToken).ConfigureAwait(false);
            return e;
        }

        await _events.RecordAsync(owner, EventRecorder.Normal, "SuccessfulDelete", "Deleted pod: " + pod.Metadata.Name, _component, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
