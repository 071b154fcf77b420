using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>Event ids 4140–4159 (the workload controllers own 4100–4159; see ../ReplicaSets/README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4240, Level = LogLevel.Warning, Message = "Scheduling pod {Key} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, Exception exception, string key);

        [LoggerMessage(EventId = 4241, Level = LogLevel.Debug, Message = "Pod {Key} bound to node {Node}")]
        public static partial void Bound(ILogger logger, string key, string node);

        [LoggerMessage(EventId = 4242, Level = LogLevel.Information, Message = "Pod {Key} is unschedulable: {Message}")]
        public static partial void Unschedulable(ILogger logger, string key, string message);
    }
}
