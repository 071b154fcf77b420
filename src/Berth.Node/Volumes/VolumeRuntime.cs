using Berth.Client;

namespace Berth.Node.Volumes;

/// <summary>What every pod's <see cref="PodVolumes"/> shares.</summary>
internal sealed class VolumeRuntime
{
    public required IApiClient Client { get; init; }

    public required IServiceAccountTokens Tokens { get; init; }

    public required NodeCapacity Capacity { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>How long a ConfigMap or Secret read for a volume is used before it is read again.</summary>
    public required TimeSpan RefreshInterval { get; init; }

    /// <summary>Whether the agent may mount on the host (root): memory-backed emptyDirs are tmpfs then.</summary>
    public bool Privileged { get; init; }

    /// <summary>The <c>mount</c> and <c>umount</c> tools (null when missing).</summary>
    public string? Mount { get; init; }

    public string? Umount { get; init; }
}
