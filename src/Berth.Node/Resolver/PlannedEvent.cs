namespace Berth.Node.Resolver;

/// <summary>An event a planner asks the agent to record, about the pod or about the node (the kubelet records both).</summary>
internal sealed record PlannedEvent(bool AboutNode, string Type, string Reason, string Message)
{
    public const string Warning = "Warning";

    public static PlannedEvent PodWarning(string reason, string message) => new(AboutNode: false, Warning, reason, message);

    public static PlannedEvent NodeWarning(string reason, string message) => new(AboutNode: true, Warning, reason, message);
}
