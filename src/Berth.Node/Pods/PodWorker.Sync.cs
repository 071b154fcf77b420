using Berth.Client;
using k8s.Models;

namespace Berth.Node.Pods;

internal sealed partial class PodWorker
{
    /// <returns>True when the pod is gone and cleaned up: the worker ends.</returns>
    private async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        _pod = Volatile.Read(ref _latest);
        if (!_restored)
        {
            Restore(_pod);
            _restored = true;
        }

        Reap();
        if (_gone || _pod.Metadata.DeletionTimestamp is not null)
        {
            return await TerminateAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_restoredTerminal)
        {
            PublishSnapshot();
            return false;
        }

        if (!_terminal)
        {
            KillProbeFailures();
            if (EnsureSandbox() && await SyncVolumesAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await SyncInitContainersAsync(cancellationToken).ConfigureAwait(false) && !_terminal)
                {
                    await SyncAppContainersAsync(cancellationToken).ConfigureAwait(false);
                }

                CheckTerminal();
            }
        }

        Publish(podIsTerminal: _terminal);
        return false;
    }

    /// <summary>
    /// What the agent learns from the API copy of the pod at its first sync — after an agent restart, the runs so far:
    /// restart counts, finished runs, the IP. Containers that were running died with the previous agent (its reaper
    /// killed them): they count as ended with <c>ContainerStatusUnknown</c> (137) and restart as the policy says.
    /// Pods already Succeeded or Failed stay as they are.
    /// </summary>
    private void Restore(V1Pod pod)
    {
        var status = pod.Status;
        if (status is null)
        {
            return;
        }

        if (status.Phase is "Succeeded" or "Failed")
        {
            _restoredTerminal = true;
            _terminal = true;
            _podIp = status.PodIP;
            return;
        }

        _startTime = status.StartTime;
        if (status.PodIP is { Length: > 0 } ip && _runtime.Ipam.Find(Uid)?.ToString() == ip)
        {
            _podIp = ip;
        }

        foreach (var cs in (status.InitContainerStatuses ?? []).Concat(status.ContainerStatuses ?? []))
        {
            var record = All.FirstOrDefault(r => r.Name == cs.Name);
            var state = cs.State;
            if (record is null || state is null || (state.Running is null && state.Terminated is null && cs.LastState?.Terminated is null))
            {
                continue;
            }

            record.Runs = (cs.RestartCount) + 1;
            record.ImageId = cs.ImageID;
            record.ContainerId = cs.ContainerID;
            if (state.Terminated is { } terminated)
            {
                record.Terminated = terminated;
                record.PreviousTerminated = cs.LastState?.Terminated;
            }
            else if (state.Running is { } running)
            {
                record.PreviousTerminated = cs.LastState?.Terminated;
                record.Terminated = new V1ContainerStateTerminated
                {
                    ExitCode = 137,
                    Reason = "ContainerStatusUnknown",
                    Message = "The container could not be located when the pod was terminated",
                    StartedAt = running.StartedAt,
                    FinishedAt = PodStatusWriter.Seconds(Now),
                    ContainerID = cs.ContainerID,
                };
            }
            else
            {
                record.Terminated = cs.LastState!.Terminated;
            }
        }
    }

    /// <summary>Records the runs that ended since the last sync.</summary>
    private void Reap()
    {
        foreach (var record in All)
        {
            if (record.Instance is not { } instance || !instance.Process.Exited.IsCompleted)
            {
                continue;
            }

            var code = instance.Process.Exited.Result;
            record.Finish(new V1ContainerStateTerminated
            {
                ExitCode = code,
                Reason = code == 0 ? "Completed" : "Error",
                StartedAt = PodStatusWriter.Seconds(instance.StartedAt),
                FinishedAt = PodStatusWriter.Seconds(instance.FinishedAt ?? Now),
                ContainerID = instance.ContainerId,
            });
            instance.End();
            _ = CloseLogAsync(instance);
        }
    }

    /// <summary>A container whose liveness or startup probe failed is stopped; it restarts as its policy says.</summary>
    private void KillProbeFailures()
    {
        foreach (var record in All)
        {
            if (record.Instance is { ProbeFailure: { } message } instance && !instance.IsStopping)
            {
                _runtime.Events.Record(_pod, PodEventRecorder.ContainerPath(record.Name, record.IsInit), PodEventRecorder.Normal, "Killing", message);
                var probe = instance.Startup?.Result == Probes.ProbeResult.Failure ? record.Spec.StartupProbe : record.Spec.LivenessProbe;
                var grace = TimeSpan.FromSeconds(probe?.TerminationGracePeriodSeconds ?? _pod.Spec?.TerminationGracePeriodSeconds ?? 30);
                _ = StopAndWakeAsync(record, instance, grace);
            }
        }
    }

    private async Task StopAndWakeAsync(ContainerRecord record, ContainerInstance instance, TimeSpan grace)
    {
        try
        {
            await instance.StopAsync(grace, PreStopFor(record, instance), _runtime.Time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            Log.StopFailed(_logger, Namespace, Name, record.Name, e.Message);
        }

        _wake.Set();
    }

    /// <summary>The pod's sandbox: its IP and directory. False (retried later) when no IP is free.</summary>
    private bool EnsureSandbox()
    {
        if (_podIp is null)
        {
            // A StatefulSet's pod is the same member under the same name after a re-creation: it keeps its address.
            var identity = _pod.Metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Kind == "StatefulSet") == true ? Namespace + "/" + Name : null;
            var ip = _runtime.Ipam.Find(Uid) ?? _runtime.Ipam.Allocate(Uid, identity);
            if (ip is null)
            {
                _runtime.Events.Record(_pod, null, PodEventRecorder.Warning, "FailedCreatePodSandBox", $"Failed to create pod sandbox: no free pod IP left in {_runtime.Ipam.Cidr}");
                WakeAt(Now + _runtime.Options.RetryInterval);
                return false;
            }

            _podIp = ip.ToString();
        }

        Directory.CreateDirectory(_runtime.Paths.Pod(Uid));
        _startTime ??= PodStatusWriter.Seconds(Now);
        return true;
    }

    /// <returns>True when every init container has succeeded.</returns>
    private async Task<bool> SyncInitContainersAsync(CancellationToken cancellationToken)
    {
        foreach (var record in _init)
        {
            if (record.Instance is not null)
            {
                return false;
            }

            if (record.Terminated is { ExitCode: 0 })
            {
                continue;
            }

            if (record.Terminated is not null && RestartPolicy == "Never")
            {
                _terminal = true;
                return false;
            }

            await StartContainerAsync(record, cancellationToken).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private async Task SyncAppContainersAsync(CancellationToken cancellationToken)
    {
        foreach (var record in _app)
        {
            if (record.Instance is null && (record.Terminated is null || ShouldRestart(record)))
            {
                await StartContainerAsync(record, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private string RestartPolicy => _pod.Spec?.RestartPolicy ?? "Always";

    private bool ShouldRestart(ContainerRecord record) =>
        RestartPolicy == "Always" || (RestartPolicy == "OnFailure" && record.Terminated is { ExitCode: not 0 });

    /// <summary>The pod is finished when no app container runs or will run again; its IP is then released.</summary>
    private void CheckTerminal()
    {
        if (!_terminal && _app.Count > 0 && _app.All(r => r.Instance is null && r.Terminated is not null && !ShouldRestart(r)) && _init.All(r => r.Instance is null))
        {
            _terminal = true;
        }

        if (_terminal && All.All(r => r.Instance is null))
        {
            ReleaseIP();
        }
    }

    private void ReleaseIP()
    {
        if (!_ipReleased && !_restoredTerminal)
        {
            _ipReleased = true;
            _runtime.Ipam.Release(Uid);
        }
    }

    /// <summary>
    /// The pod is being deleted (or is gone): stop every container gracefully (preStop, SIGTERM, SIGKILL after the
    /// deletion grace period), write the final status, then delete the pod object with grace period 0 and a UID
    /// precondition, as the kubelet's status manager does. Once the informer reports it gone, remove its directory.
    /// </summary>
    private async Task<bool> TerminateAsync(CancellationToken cancellationToken)
    {
        if (!_terminating)
        {
            _terminating = true;
            var seconds = _gone && _pod.Metadata.DeletionTimestamp is null
                ? 0
                : _pod.Metadata.DeletionGracePeriodSeconds ?? _pod.Spec?.TerminationGracePeriodSeconds ?? 30;
            var grace = TimeSpan.FromSeconds(Math.Max(seconds, ContainerInstance.MinimumGracePeriod.TotalSeconds));
            foreach (var record in All)
            {
                record.Waiting = null;
                if (record.Instance is { } instance)
                {
                    _runtime.Events.Record(_pod, PodEventRecorder.ContainerPath(record.Name, record.IsInit), PodEventRecorder.Normal, "Killing", "Stopping container " + record.Name);
                    _ = StopAndWakeAsync(record, instance, grace);
                }
            }
        }

        if (All.Any(r => r.Instance is not null))
        {
            PublishSnapshot();
            return false; // exits wake the loop
        }

        _terminal = true;
        ReleaseIP();
        if (!_gone && !_restoredTerminal)
        {
            Publish(podIsTerminal: true);
        }
        else
        {
            PublishSnapshot();
        }

        if (!_gone)
        {
            if (!_deleted)
            {
                try
                {
                    await _runtime.Client.DeleteAsync<V1Pod>(Namespace, Name, new V1DeleteOptions
                    {
                        GracePeriodSeconds = 0,
                        Preconditions = new V1Preconditions { Uid = Uid },
                    }, cancellationToken).ConfigureAwait(false);
                    _deleted = true;
                }
                catch (Client.ApiException e) when (e.IsNotFound || e.IsConflict)
                {
                    _deleted = true; // gone already, or the name now belongs to another pod
                }
                catch (Exception e) when (e is Client.ApiException or HttpRequestException)
                {
                    var failure = Failure.Of(e);
                    Log.DeleteFailed(_logger, failure.Level, failure.Trace, Namespace, Name, failure.Reason);
                    WakeAt(Now + TimeSpan.FromSeconds(1));
                }
            }

            return false; // the informer's delete ends the worker
        }

        _runtime.Status.Forget(Uid);
        _volumes?.TearDown();
        try
        {
            var dirs = new List<string> { _runtime.Paths.Pod(Uid) };
            if (_runtime.Paths.WorkRoot is not null)
            {
                dirs.Add(_runtime.Paths.WorkPod(Uid)); // the working directory of a pod whose processes ran as other users
            }

            foreach (var dir in dirs)
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.CleanupFailed(_logger, Namespace, Name, e.Message);
        }

        return true;
    }
}
