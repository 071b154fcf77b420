using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Berth.Core.Tables;

/// <summary>
/// <c>kubectl get pods</c>: a port of <c>printPod</c> (pkg/printers/internalversion/printers.go), including the
/// STATUS reasoning (init containers, waiting/terminated reasons, Completed→Running, Terminating) and the
/// RESTARTS cell <c>N (5m ago)</c>.
/// </summary>
internal sealed class PodTablePrinter : TablePrinter<V1Pod>
{
    // k8s.io/kubernetes/pkg/util/node.NodeUnreachablePodReason
    private const string NodeUnreachablePodReason = "NodeLost";

    public override IReadOnlyList<TableColumnDefinition> Columns { get; } =
    [
        TableColumnDefinition.NameColumn,
        TableColumnDefinition.String("Ready", ColumnDescriptions.PodReady),
        TableColumnDefinition.String("Status", ColumnDescriptions.PodStatus),
        TableColumnDefinition.String("Restarts", ColumnDescriptions.PodRestarts),
        TableColumnDefinition.AgeColumn,
        TableColumnDefinition.String("IP", ColumnDescriptions.PodIP, 1),
        TableColumnDefinition.String("Node", ColumnDescriptions.PodNodeName, 1),
        TableColumnDefinition.String("Nominated Node", ColumnDescriptions.PodNominatedNodeName, 1),
        TableColumnDefinition.String("Readiness Gates", ColumnDescriptions.PodReadinessGates, 1),
    ];

    protected override TableRow Print(V1Pod pod, DateTimeOffset now)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        var status = pod.Status ?? new V1PodStatus();
        var conditions = status.Conditions ?? [];
        var containers = spec.Containers ?? [];
        var initContainerSpecs = spec.InitContainers ?? [];

        var restarts = 0;
        var restartableInitContainerRestarts = 0;
        var totalContainers = containers.Count;
        var readyContainers = 0;
        DateTime? lastRestartDate = null;
        DateTime? lastRestartableInitContainerRestartDate = null;

        var podPhase = status.Phase ?? string.Empty;
        var reason = string.IsNullOrEmpty(status.Reason) ? podPhase : status.Reason;

        if (conditions.Any(c => c.Type == "PodScheduled" && c.Reason == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        var initContainers = new Dictionary<string, V1Container>(StringComparer.Ordinal);
        foreach (var c in initContainerSpecs)
        {
            initContainers[c.Name ?? string.Empty] = c;
            if (IsRestartableInitContainer(c))
            {
                totalContainers++;
            }
        }

        var initializing = false;
        var initStatuses = status.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            var restartable = initContainers.TryGetValue(container.Name ?? string.Empty, out var initSpec) && IsRestartableInitContainer(initSpec);
            restarts += container.RestartCount;
            lastRestartDate = Later(lastRestartDate, container.LastState?.Terminated?.FinishedAt);
            if (restartable)
            {
                restartableInitContainerRestarts += container.RestartCount;
                lastRestartableInitContainerRestartDate = Later(lastRestartableInitContainerRestartDate, container.LastState?.Terminated?.FinishedAt);
            }

            var terminated = container.State?.Terminated;
            var waiting = container.State?.Waiting;
            if (terminated is not null && terminated.ExitCode == 0)
            {
                continue;
            }

            if (restartable && container.Started == true)
            {
                if (container.Ready)
                {
                    readyContainers++;
                }

                continue;
            }

            if (terminated is not null)
            {
                // initialization failed
                reason = string.IsNullOrEmpty(terminated.Reason)
                    ? (terminated.Signal is { } signal && signal != 0 ? Invariant($"Init:Signal:{signal}") : Invariant($"Init:ExitCode:{terminated.ExitCode}"))
                    : "Init:" + terminated.Reason;
            }
            else if (waiting is not null && !string.IsNullOrEmpty(waiting.Reason) && waiting.Reason != "PodInitializing")
            {
                reason = "Init:" + waiting.Reason;
            }
            else
            {
                reason = Invariant($"Init:{i}/{initContainerSpecs.Count}");
            }

            initializing = true;
            break;
        }

        if (!initializing || IsPodInitializedConditionTrue(conditions))
        {
            restarts = restartableInitContainerRestarts;
            lastRestartDate = lastRestartableInitContainerRestartDate;
            var hasRunning = false;
            var statuses = status.ContainerStatuses ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                restarts += container.RestartCount;
                lastRestartDate = Later(lastRestartDate, container.LastState?.Terminated?.FinishedAt);

                var waiting = container.State?.Waiting;
                var terminated = container.State?.Terminated;
                if (waiting is not null && !string.IsNullOrEmpty(waiting.Reason))
                {
                    reason = waiting.Reason;
                }
                else if (terminated is not null && !string.IsNullOrEmpty(terminated.Reason))
                {
                    reason = terminated.Reason;
                }
                else if (terminated is not null)
                {
                    reason = terminated.Signal is { } signal && signal != 0
                        ? Invariant($"Signal:{signal}")
                        : Invariant($"ExitCode:{terminated.ExitCode}");
                }
                else if (container.Ready && container.State?.Running is not null)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            // change pod status back to "Running" if there is at least one container still reporting as "Running" status
            if (reason == "Completed" && hasRunning)
            {
                reason = conditions.Any(c => c.Type == "Ready" && c.Status == "True") ? "Running" : "NotReady";
            }
        }

        if (pod.Metadata?.DeletionTimestamp is not null && status.Reason == NodeUnreachablePodReason)
        {
            reason = "Unknown";
        }
        else if (pod.Metadata?.DeletionTimestamp is not null && podPhase is not ("Failed" or "Succeeded"))
        {
            reason = "Terminating";
        }

        var restartsCell = TableFormat.Int(restarts);
        if (restarts != 0 && lastRestartDate is not null)
        {
            restartsCell = Invariant($"{restarts} ({HumanDuration.Since(lastRestartDate, now)} ago)");
        }

        var podIP = status.PodIPs is { Count: > 0 } podIPs ? podIPs[0].Ip : status.PodIP;
        var readinessGates = "<none>";
        if (spec.ReadinessGates is { Count: > 0 } gates)
        {
            var trueConditions = gates.Count(g => conditions.FirstOrDefault(c => c.Type == g.ConditionType)?.Status == "True");
            readinessGates = Invariant($"{trueConditions}/{gates.Count}");
        }

        object[] cells =
        [
            pod.Metadata?.Name ?? string.Empty,
            Invariant($"{readyContainers}/{totalContainers}"),
            reason,
            restartsCell,
            HumanDuration.Since(pod.Metadata?.CreationTimestamp, now),
            OrNone(podIP),
            OrNone(spec.NodeName),
            OrNone(status.NominatedNodeName),
            readinessGates,
        ];

        return new TableRow(cells, RowConditions(podPhase));
    }

    // podSuccessConditions / podFailedConditions
    private static JsonArray? RowConditions(string phase) => phase switch
    {
        "Succeeded" => [Condition("Succeeded", "The pod has completed successfully.")],
        "Failed" => [Condition("Failed", "The pod failed.")],
        _ => null,
    };

    private static JsonObject Condition(string reason, string message) => new()
    {
        ["type"] = "Completed",
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
    };

    // k8s.io/kubernetes/pkg/api/pod.IsRestartableInitContainer (sidecar containers)
    private static bool IsRestartableInitContainer(V1Container? container) => container?.RestartPolicy == "Always";

    private static bool IsPodInitializedConditionTrue(IList<V1PodCondition> conditions) =>
        conditions.FirstOrDefault(c => c.Type == "Initialized")?.Status == "True";

    private static DateTime? Later(DateTime? current, DateTime? candidate) =>
        candidate is { } c && c != default && (current is null || current.Value < c) ? c : current;

    private static string OrNone(string? value) => string.IsNullOrEmpty(value) ? "<none>" : value;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
