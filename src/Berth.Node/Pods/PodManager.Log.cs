using Microsoft.Extensions.Logging;

namespace Berth.Node.Pods;

public sealed partial class PodManager
{
    /// <summary>Event ids 6100–6119.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Pods of node {Node}: pod CIDR {Cidr}, {Count} pods bound")]
        public static partial void Started(ILogger logger, string node, string cidr, int count);

        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Pod {Pod}: its IP {IP} is outside {Cidr} or taken; it gets a new one")]
        public static partial void IPNotRelearned(ILogger logger, string pod, string ip, string cidr);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Could not remove the directory {Directory} of a pod that is gone")]
        public static partial void OrphanCleanupFailed(ILogger logger, Exception exception, string directory);
    }
}
