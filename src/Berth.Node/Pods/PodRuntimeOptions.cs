namespace Berth.Node.Pods;

/// <summary>Tunables of the pod runtime; the defaults are the kubelet's. Tests shorten the back-offs.</summary>
public sealed class PodRuntimeOptions
{
    /// <summary>First CrashLoopBackOff delay (kubelet: 10 s); doubles per restart up to <see cref="CrashLoopBackOffMax"/>.</summary>
    public TimeSpan CrashLoopBackOffInitial { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest CrashLoopBackOff delay (kubelet: 5 min); a container that runs twice this long starts over.</summary>
    public TimeSpan CrashLoopBackOffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First ImagePullBackOff delay (kubelet: 10 s), doubling up to <see cref="ImagePullBackOffMax"/>.</summary>
    public TimeSpan ImagePullBackOffInitial { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ImagePullBackOffMax { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a pod whose container cannot be configured (e.g. a missing ConfigMap) is tried again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a released pod IP rests before another pod may get it.</summary>
    public TimeSpan IPQuarantine { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Grace period of every container when the agent itself stops (SIGTERM, then SIGKILL after this).</summary>
    public TimeSpan AgentStopGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A container log file is rotated at this size (kubelet containerLogMaxSize: 10 MiB).</summary>
    public long ContainerLogMaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Log files kept per container run, the live one included (kubelet containerLogMaxFiles: 5).</summary>
    public int ContainerLogMaxFiles { get; set; } = 5;

    /// <summary>
    /// How long a ConfigMap or Secret read for a pod's volume is used before it is read again, i.e. how soon a change
    /// reaches the files (the kubelet: its sync period, 1 min, plus its cache's delay).
    /// </summary>
    public TimeSpan VolumeRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (CrashLoopBackOffInitial <= TimeSpan.Zero || CrashLoopBackOffMax < CrashLoopBackOffInitial)
        {
            throw new ArgumentException("CrashLoopBackOff must satisfy 0 < initial <= max");
        }

        if (ImagePullBackOffInitial <= TimeSpan.Zero || ImagePullBackOffMax < ImagePullBackOffInitial)
        {
            throw new ArgumentException("ImagePullBackOff must satisfy 0 < initial <= max");
        }

        if (RetryInterval <= TimeSpan.Zero || VolumeRefreshInterval <= TimeSpan.Zero || IPQuarantine < TimeSpan.Zero || AgentStopGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentException("RetryInterval and VolumeRefreshInterval must be positive; IPQuarantine and AgentStopGracePeriod not negative");
        }

        if (ContainerLogMaxBytes < 4096 || ContainerLogMaxFiles < 1)
        {
            throw new ArgumentException("ContainerLogMaxBytes must be at least 4 KiB and ContainerLogMaxFiles at least 1");
        }
    }
}
