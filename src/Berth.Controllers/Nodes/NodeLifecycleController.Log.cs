using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Nodes;

public sealed partial class NodeLifecycleController
{
    /// <summary>Event ids 4420–4439 (see src/Berth.Controllers/README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4420, Level = LogLevel.Warning, Message = "Node {Node} sent no heartbeat for {Seconds:F0} s; its conditions are now Unknown")]
        public static partial void StatusUnknown(ILogger logger, string node, double seconds);

        [LoggerMessage(EventId = 4421, Level = LogLevel.Information, Message = "Node {Node} is not ready (Ready={Status}); marking its pods not ready")]
        public static partial void NodeNotReady(ILogger logger, string node, string status);

        [LoggerMessage(EventId = 4422, Level = LogLevel.Debug, Message = "Pod {Pod} on node {Node} marked not ready")]
        public static partial void PodMarkedNotReady(ILogger logger, string pod, string node);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4423, Message = "Could not mark pod {Pod} on node {Node} not ready: {Reason}; the next pass retries")]
        public static partial void MarkPodFailed(ILogger logger, LogLevel level, Exception? exception, string pod, string node, string reason);

        [LoggerMessage(EventId = 4424, Level = LogLevel.Information, Message = "Node {Node} taints: added [{Added}], removed [{Removed}]")]
        public static partial void TaintsChanged(ILogger logger, string node, string added, string removed);

        [LoggerMessage(EventId = 4425, Level = LogLevel.Information, Message = "Evicted pod {Pod} from node {Node} (NoExecute taint not tolerated any longer)")]
        public static partial void Evicted(ILogger logger, string pod, string node);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4426, Message = "Checking the health of node {Node} failed: {Reason}; next pass retries")]
        public static partial void MonitorFailed(ILogger logger, LogLevel level, Exception? exception, string node, string reason);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4427, Message = "Sync of {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4428, Message = "A node health pass failed: {Reason}; the next pass retries")]
        public static partial void MonitorPassFailed(ILogger logger, LogLevel level, Exception? exception, string reason);
    }
}
