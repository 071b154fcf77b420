using Berth.Client;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

internal sealed partial class PodWorker
{
    /// <summary>Event ids 6120–6159.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6120, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Name}: container {Container} started as pid {Pid}")]
        public static partial void ContainerStarted(ILogger logger, string @namespace, string name, string container, int pid);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 6121, Message = "Pod {Namespace}/{Name}: sync failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string @namespace, string name, string reason);

        [LoggerMessage(EventId = 6122, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Name}: stopping container {Container} failed: {Error}; the next sync looks at it again")]
        public static partial void StopFailed(ILogger logger, string @namespace, string name, string container, string error);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 6123, Message = "Pod {Namespace}/{Name}: deleting the finished pod failed: {Reason}; retrying")]
        public static partial void DeleteFailed(ILogger logger, LogLevel level, Exception? exception, string @namespace, string name, string reason);

        [LoggerMessage(EventId = 6124, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Name}: removing the pod directory failed: {Error}; it stays on disk until the node agent starts again")]
        public static partial void CleanupFailed(ILogger logger, string @namespace, string name, string error);
    }
}
