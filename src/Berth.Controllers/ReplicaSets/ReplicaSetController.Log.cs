using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.ReplicaSets;

public sealed partial class ReplicaSetController
{
    /// <summary>Event ids 4100–4119 (the workload controllers own 4100–4159; see README.md).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4200, Message = "Syncing ReplicaSet {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "ReplicaSet {Key}: creating {Count} pods")]
        public static partial void Creating(ILogger logger, string key, int count);

        [LoggerMessage(EventId = 4202, Level = LogLevel.Debug, Message = "ReplicaSet {Key}: deleting {Count} pods")]
        public static partial void Deleting(ILogger logger, string key, int count);

        /// <summary>Debug: the sync then fails with this exception, and <see cref="SyncFailed"/> reports it once at its level.</summary>
        [LoggerMessage(EventId = 4203, Level = LogLevel.Debug, Message = "ReplicaSet {Key}: creating a pod failed: {Reason}")]
        public static partial void CreateFailed(ILogger logger, string key, string reason);

        /// <summary>Debug: the sync then fails with this exception, and <see cref="SyncFailed"/> reports it once at its level.</summary>
        [LoggerMessage(EventId = 4204, Level = LogLevel.Debug, Message = "ReplicaSet {Key}: deleting pod {Pod} failed: {Reason}")]
        public static partial void DeleteFailed(ILogger logger, string key, string pod, string reason);
    }
}
