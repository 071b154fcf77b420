using System.Collections.Concurrent;
using Berth.Client;
using k8s.Models;

namespace Berth.Controllers.Tests.Jobs;

/// <summary>
/// Plays the node agent for the pods of run-to-completion workloads in one namespace (integration tests only): binds
/// each new pod to <see cref="Node"/>, runs it (phase Running) and, after <see cref="RunFor"/>, ends it in the phase
/// <see cref="Outcome"/> gives (Succeeded or Failed, with the container's exit code and finish time); a pod being
/// deleted is removed as the node agent does (DELETE with grace 0 — a finalizer then keeps it). It records the most
/// pods it saw running at once.
/// </summary>
internal sealed class JobKubelet : IAsyncDisposable
{
    private readonly IApiClient _client;
    private readonly string _namespace;
    private readonly ConcurrentDictionary<string, DateTime> _started = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public JobKubelet(IApiClient client, string ns)
    {
        _client = client;
        _namespace = ns;
    }

    public string Node { get; init; } = "node-a";

    /// <summary>The clock of the finish times written (the controllers' clock, so that their back-off sees them).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public TimeSpan RunFor { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The phase each pod ends in; null keeps it running.</summary>
    public Func<V1Pod, string?> Outcome { get; set; } = _ => "Succeeded";

    public int MostRunningAtOnce { get; private set; }

    public JobKubelet Start()
    {
        _loop = Task.Run(() => LoopAsync(_stop.Token));
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var pods = (await _client.ListAsync<V1Pod>(_namespace, null, cancellationToken)).Items;
                MostRunningAtOnce = Math.Max(MostRunningAtOnce, pods.Count(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase is "Running" or "Pending" or null));
                foreach (var pod in pods)
                {
                    await TendAsync(pod, cancellationToken);
                }
            }
            catch (ApiException)
            {
                // a race with a controller: try again next round
            }

            await Task.Delay(30, cancellationToken);
        }
    }

    private async Task TendAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var name = pod.Metadata.Name;
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            if (pod.Status?.Phase is not ("Succeeded" or "Failed"))
            {
                await IgnoreGoneAsync(_client.DeleteAsync<V1Pod>(_namespace, name, new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken));
            }

            return;
        }

        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            await IgnoreGoneAsync(_client.BindAsync(_namespace, name, Node, cancellationToken));
            return;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            return;
        }

        var started = _started.GetOrAdd(pod.Metadata.Uid, _ => DateTime.UtcNow);
        pod.Status ??= new V1PodStatus();
        if (pod.Status.Phase != "Running")
        {
            pod.Status.Phase = "Running";
            pod.Status.StartTime = started;
            await IgnoreGoneAsync(_client.UpdateStatusAsync(pod, cancellationToken));
            return;
        }

        if (DateTime.UtcNow - started < RunFor || Outcome(pod) is not { } phase)
        {
            return;
        }

        pod.Status.Phase = phase;
        pod.Status.ContainerStatuses =
        [
            new V1ContainerStatus
            {
                Name = pod.Spec.Containers[0].Name,
                Image = pod.Spec.Containers[0].Image,
                ImageID = "",
                Ready = false,
                State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = phase == "Succeeded" ? 0 : 1, FinishedAt = Clock.GetUtcNow().UtcDateTime, StartedAt = started } },
            },
        ];
        await IgnoreGoneAsync(_client.UpdateStatusAsync(pod, cancellationToken));
    }

    private static async Task IgnoreGoneAsync(Task call)
    {
        try
        {
            await call;
        }
        catch (ApiException e) when (e.IsNotFound || e.Code == 409)
        {
        }
    }
}
