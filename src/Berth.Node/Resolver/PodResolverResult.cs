using Berth.Node.Runtime;

namespace Berth.Node.Resolver;

/// <summary>The sandbox a pod's processes run in and the events to record, or why its containers cannot start.</summary>
internal sealed record PodResolverResult(PodSandbox? Sandbox, IReadOnlyList<PlannedEvent> Events, string? Error)
{
    /// <summary>The Warning reason when the pod's resolver files are not what its processes see (Berth's own reason).</summary>
    public const string NotMountedReason = "PodFilesNotMounted";

    public static PodResolverResult Fail(string error) => new(null, [], error);
}
