using Berth.Node.Runtime;
using Berth.Node.Volumes;

namespace Berth.Node.Pods;

internal sealed partial class PodWorker
{
    private const string FailedMount = "FailedMount";
    private static readonly TimeSpan _firstVolumeRetry = TimeSpan.FromMilliseconds(500);

    private readonly HashSet<string> _volumeWarnings = new(StringComparer.Ordinal);
    private PodVolumes? _volumes;
    private VolumeSetUp _volumeSetUp = VolumeSetUp.None;
    private TimeSpan _volumeRetry;

    /// <summary>
    /// Sets up (or refreshes) the pod's volumes on every sync, as the kubelet's volume manager: a volume that cannot be
    /// set up is a <c>FailedMount</c> Warning, and while one has never been set up no container starts (kubelet
    /// WaitForAttachAndMount; the pod stays ContainerCreating), tried again after 0.5 s, doubling up to RetryInterval. Unsupported sources are a Warning once; the containers
    /// start without them.
    /// </summary>
    /// <returns>False while the containers must wait for a volume.</returns>
    private async Task<bool> SyncVolumesAsync(CancellationToken cancellationToken)
    {
        if (_pod.Spec?.Volumes is not { Count: > 0 })
        {
            return true;
        }

        _volumes ??= new PodVolumes(_runtime.Volumes, _runtime.Paths.Pod(Uid));
        var owner = _runtime.Users.SwitchUser ? _runtime.Users.OwnerOfWorkingDirectory(_pod) : null;
        _volumeSetUp = await _volumes.SetUpAsync(_pod, owner, cancellationToken).ConfigureAwait(false);
        foreach (var failed in _volumeSetUp.Failed)
        {
            _runtime.Events.Record(_pod, null, PodEventRecorder.Warning, FailedMount, $"MountVolume.SetUp failed for volume \"{failed.Volume}\" : {failed.Message}");
        }

        foreach (var unsupported in _volumeSetUp.Unsupported)
        {
            WarnOnce($"volume \"{unsupported.Volume}\": {unsupported.Message}");
        }

        if (_volumes.NextRefresh is { } refresh)
        {
            WakeAt(refresh);
        }

        if (_volumeSetUp.Blocks)
        {
            // The kubelet's volume operations back off from 500 ms, doubling (nestedpendingoperations); here up to RetryInterval.
            _volumeRetry = _volumeRetry == TimeSpan.Zero ? _firstVolumeRetry : TimeSpan.FromTicks(Math.Min(_volumeRetry.Ticks * 2, _runtime.Options.RetryInterval.Ticks));
            WakeAt(Now + _volumeRetry);
            return false;
        }

        _volumeRetry = TimeSpan.Zero;
        return true;
    }

    /// <summary>
    /// The sandbox of one container: the pod's mount table plus the container's volume mounts
    /// (<c>&lt;pod dir&gt;/&lt;container&gt;/fstab</c>). Mounts that cannot be made are a Warning (once each); without a
    /// mount namespace on this node, none can.
    /// </summary>
    private PodSandbox ContainerSandbox(ContainerRecord record, PodSandbox podSandbox, Func<string, string> environment)
    {
        var spec = record.Spec;
        if (spec.VolumeMounts is not { Count: > 0 } mounts)
        {
            return podSandbox;
        }

        var support = _runtime.Launcher.Sandboxing;
        if (support.Mode == SandboxMode.None)
        {
            WarnOnce($"This node cannot mount volumes ({support.Limitation}): container {record.Name} starts without "
                + string.Join(", ", mounts.Select(m => $"volume \"{m.Name}\" at {m.MountPath}")));
            return podSandbox;
        }

        var (lines, problems) = ContainerMounts.Plan(spec, _volumeSetUp, environment, _runtime.Node.MountPointRoots);
        foreach (var problem in problems)
        {
            WarnOnce(problem);
        }

        var dir = _runtime.Paths.Container(Uid, record.Name);
        Directory.CreateDirectory(dir);
        var table = Path.Combine(dir, Resolver.PodResolverFiles.MountTableName);
        File.WriteAllText(table, File.ReadAllText(podSandbox.MountTable) + lines);
        return podSandbox with { MountTable = table };
    }

    private void WarnOnce(string message)
    {
        if (_volumeWarnings.Add(message))
        {
            _runtime.Events.Record(_pod, null, PodEventRecorder.Warning, FailedMount, message);
        }
    }
}
