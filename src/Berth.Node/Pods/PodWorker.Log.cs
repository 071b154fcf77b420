using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

internal sealed partial class PodWorker
{
    /// <summary>Event ids 6120–6159.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6120, Level = LogLevel.Debug, Message = "Pod {Namespace}/{Name}: container {Container} started as pid {Pid}")]
        public static partial void ContainerStarted(ILogger logger, string @namespace, string name, string container, int pid);

        [LoggerMessage(EventId = 6121, Level = LogLevel.Error, Message = "Pod {Namespace}/{Name}: sync failed; retrying")]
        public static partial void SyncFailed(ILogger logger, Exception exception, string @namespace, string name);

        [LoggerMessage(EventId = 6122, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Name}: stopping container {Container} failed")]
        public static partial void StopFailed(ILogger logger, Exception exception, string @namespace, string name, string container);

        [LoggerMessage(EventId = 6123, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Name}: deleting the finished pod failed; retrying")]
        public static partial void DeleteFailed(ILogger logger, Exception exception, string @namespace, string name);

        [LoggerMessage(EventId = 6124, Level = LogLevel.Warning, Message = "Pod {Namespace}/{Name}: removing the pod directory failed")]
        public static partial void CleanupFailed(ILogger logger, Exception exception, string @namespace, string name);
    }
}
