using Microsoft.Extensions.Logging;

namespace Berth.Controllers.ReplicaSets;

public sealed partial class ReplicaSetController
{
    /// <summary>Event ids 4100–4119 (the workload controllers own 4100–4159; see README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "Syncing ReplicaSet {Key} failed; retrying")]
        public static partial void SyncFailed(ILogger logger, Exception exception, string key);

        [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "ReplicaSet {Key}: creating {Count} pods")]
        public static partial void Creating(ILogger logger, string key, int count);

        [LoggerMessage(EventId = 4202, Level = LogLevel.Debug, Message = "ReplicaSet {Key}: deleting {Count} pods")]
        public static partial void Deleting(ILogger logger, string key, int count);

        [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "ReplicaSet {Key}: creating a pod failed")]
        public static partial void CreateFailed(ILogger logger, Exception exception, string key);

        [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "ReplicaSet {Key}: deleting pod {Pod} failed")]
        public static partial void DeleteFailed(ILogger logger, Exception exception, string key, string pod);
    }
}
