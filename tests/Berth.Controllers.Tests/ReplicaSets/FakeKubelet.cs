using System.Collections.Concurrent;
using Berth.Client;
using k8s.Models;

namespace Berth.Controllers.Tests.ReplicaSets;

/// <summary>
/// Plays the node agent for one namespace (integration tests only): pods bound to a node become Running and Ready
/// after <see cref="ReadyDelay"/> (when <see cref="MayBecomeReady"/> allows), gracefully deleted pods are removed, and,
/// with <see cref="BindTo"/>, unbound pods are first bound to that node (a stand-in for the scheduler).
/// </summary>
internal sealed class FakeKubelet : IAsyncDisposable
{
    private readonly IApiClient _client;
    private readonly string _namespace;
    private readonly ConcurrentDictionary<string, DateTime> _firstSeen = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _ips;

    public FakeKubelet(IApiClient client, string ns)
    {
        _client = client;
        _namespace = ns;
    }

    public TimeSpan ReadyDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public string? BindTo { get; init; }

    public Func<V1Pod, bool> MayBecomeReady { get; set; } = _ => true;

    public FakeKubelet Start()
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
                foreach (var pod in (await _client.ListAsync<V1Pod>(_namespace, null, cancellationToken)).Items)
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
            await IgnoreGoneAsync(_client.DeleteAsync<V1Pod>(_namespace, name, new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken));
            return;
        }

        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            if (BindTo is not null)
            {
                await IgnoreGoneAsync(_client.BindAsync(_namespace, name, BindTo, cancellationToken));
            }

            return;
        }

        var ready = pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        if (ready || !MayBecomeReady(pod))
        {
            return;
        }

        var seen = _firstSeen.GetOrAdd(pod.Metadata.Uid, _ => DateTime.UtcNow);
        if (DateTime.UtcNow - seen < ReadyDelay)
        {
            return;
        }

        var ip = "10.244.0." + (Interlocked.Increment(ref _ips) % 250 + 2);
        pod.Status ??= new V1PodStatus();
        pod.Status.Phase = "Running";
        pod.Status.PodIP = ip;
        pod.Status.PodIPs = [new V1PodIP { Ip = ip }];
        pod.Status.StartTime ??= DateTime.UtcNow;
        pod.Status.Conditions = [
            .. (pod.Status.Conditions ?? []).Where(c => c.Type is not ("Ready" or "ContainersReady")),
            new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = DateTime.UtcNow },
            new V1PodCondition { Type = "ContainersReady", Status = "True", LastTransitionTime = DateTime.UtcNow },
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
