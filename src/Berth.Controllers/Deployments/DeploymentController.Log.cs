using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Deployments;

public sealed partial class DeploymentController
{
    /// <summary>Event ids 4120–4139 (the workload controllers own 4100–4159; see ../ReplicaSets/README.md).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4220, Message = "Syncing Deployment {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4221, Level = LogLevel.Debug, Message = "Deployment {Key}: created ReplicaSet {ReplicaSet}")]
        public static partial void Created(ILogger logger, string key, string replicaSet);

        [LoggerMessage(EventId = 4222, Level = LogLevel.Debug, Message = "Deployment {Key}: ReplicaSet {ReplicaSet} scaled to {Replicas}")]
        public static partial void Updated(ILogger logger, string key, string replicaSet, int replicas);

        [LoggerMessage(EventId = 4223, Level = LogLevel.Debug, Message = "Deployment {Key}: deleted old ReplicaSet {ReplicaSet}")]
        public static partial void Deleted(ILogger logger, string key, string replicaSet);
    }
}
