using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>Event ids 4140–4159 (the workload controllers own 4100–4159; see ../ReplicaSets/README.md).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4240, Message = "Scheduling pod {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4241, Level = LogLevel.Debug, Message = "Pod {Key} bound to node {Node}")]
        public static partial void Bound(ILogger logger, string key, string node);

        [LoggerMessage(EventId = 4242, Level = LogLevel.Information, Message = "Pod {Key} is unschedulable: {Message}")]
        public static partial void Unschedulable(ILogger logger, string key, string message);
    }
}
