namespace Berth.Node.Volumes;

/// <summary>
/// The node's allocatable resources, which stand in for a container's unset limits in <c>resourceFieldRef</c> (the
/// kubelet's <c>MergeContainerResourceLimits</c>). Host processes have no limits, so unset is the usual case.
/// </summary>
internal sealed record NodeCapacity(decimal Cpu, decimal MemoryBytes, decimal? EphemeralStorageBytes)
{
    /// <summary>This machine: its processors, <c>MemTotal</c> and the data directory's file system.</summary>
    public static NodeCapacity Read(string dataDir)
    {
        var facts = Registration.HostFacts.Read(dataDir);
        return new NodeCapacity(facts.Cpus, facts.MemoryKi * 1024m, facts.EphemeralStorageKi * 1024m);
    }
}
