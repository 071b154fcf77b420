namespace Berth.Node.Volumes;

/// <summary>What <see cref="PodVolumes.SetUpAsync"/> made of a pod's volumes.</summary>
/// <param name="Volumes">The volumes that can be mounted: name → where their files are on the host.</param>
/// <param name="Failed">
/// Volumes that could not be set up this time (a missing ConfigMap, a failed hostPath type check): the kubelet's
/// <c>FailedMount</c>. One that was set up before keeps its last content and stays in <paramref name="Volumes"/>.
/// </param>
/// <param name="Unsupported">Volumes Berth cannot provide at all (persistentVolumeClaim, nfs, csi, …): the pod runs without them.</param>
internal sealed record VolumeSetUp(IReadOnlyDictionary<string, VolumeHost> Volumes, IReadOnlyList<VolumeProblem> Failed, IReadOnlyList<VolumeProblem> Unsupported)
{
    public static readonly VolumeSetUp None = new(new Dictionary<string, VolumeHost>(), [], []);

    /// <summary>Whether a volume the containers need has never been set up: they must not start yet (kubelet WaitForAttachAndMount).</summary>
    public bool Blocks => Failed.Any(f => !Volumes.ContainsKey(f.Volume));
}

/// <summary>A volume's files on the host.</summary>
/// <param name="Path">The directory (or, for a hostPath of a file, the file) bind-mounted at each mountPath.</param>
/// <param name="ReadOnly">Always mounted read-only (configMap, secret, downwardAPI, projected, as the kubelet does).</param>
/// <param name="Owned">The agent made the directory for this pod: mount points of nested mounts may be created in it.</param>
internal sealed record VolumeHost(string Path, bool ReadOnly, bool Owned);

/// <summary>A volume that cannot be provided, and why.</summary>
internal sealed record VolumeProblem(string Volume, string Message);
