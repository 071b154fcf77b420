using Microsoft.Extensions.Logging;

namespace Berth.Controllers.StatefulSets;

public sealed partial class StatefulSetController
{
    /// <summary>Event ids 4500–4519 (the StatefulSet and ReplicationController controllers own 4500–4599; see README.md).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <c>Failure</c>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4500, Message = "Syncing StatefulSet {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4501, Level = LogLevel.Debug, Message = "StatefulSet {Key}: creating pod {Pod} of revision {Revision}")]
        public static partial void Creating(ILogger logger, string key, string pod, string revision);

        [LoggerMessage(EventId = 4502, Level = LogLevel.Debug, Message = "StatefulSet {Key}: deleting pod {Pod}")]
        public static partial void Deleting(ILogger logger, string key, string pod);

        [LoggerMessage(EventId = 4503, Level = LogLevel.Debug, Message = "StatefulSet {Key}: revision {Revision} is taken by another template; collision count now {CollisionCount}")]
        public static partial void RevisionCollision(ILogger logger, string key, string revision, int collisionCount);
    }
}
