using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Jobs;

public sealed partial class JobController
{
    /// <summary>Event ids 4600–4619 (Job and CronJob controllers own 4600–4699; see README.md).</summary>
    private static partial class Log
    {
        /// <summary>Level and exception per <see cref="Failure"/>.</summary>
        [LoggerMessage(EventId = 4600, Message = "Syncing Job {Key} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string key, string reason);

        [LoggerMessage(EventId = 4601, Level = LogLevel.Debug, Message = "Job {Key}: creating {Count} pods")]
        public static partial void Creating(ILogger logger, string key, int count);

        [LoggerMessage(EventId = 4602, Level = LogLevel.Debug, Message = "Job {Key}: deleting {Count} pods")]
        public static partial void Deleting(ILogger logger, string key, int count);

        /// <summary>Debug: the sync then fails, and <see cref="SyncFailed"/> reports it once at its level.</summary>
        [LoggerMessage(EventId = 4603, Level = LogLevel.Debug, Message = "Job {Key}: creating a pod failed: {Reason}")]
        public static partial void CreateFailed(ILogger logger, string key, string reason);

        [LoggerMessage(EventId = 4604, Level = LogLevel.Debug, Message = "Pod {Key}: its Job is gone; removing the tracking finalizer")]
        public static partial void ReleasingOrphan(ILogger logger, string key);
    }
}
